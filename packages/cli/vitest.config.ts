import { defineProject } from "vitest/config";
import { sharedConfig, testDefaults } from "../../vitest.shared.js";

export default defineProject({
  ...sharedConfig(),
  test: testDefaults("cli"),
});
