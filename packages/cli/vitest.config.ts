import { defineProject } from "vitest/config";
import { sharedConfig, testDefaults } from "../../vitest.shared.js";

export default defineProject({
  ...sharedConfig(),
  // Its tests set environment variables and register a toy assumption: each file in a fresh module graph.
  test: testDefaults("cli", true),
});
