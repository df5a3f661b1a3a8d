import { defineProject } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

export default defineProject({
  ...sharedConfig(),
  test: { name: "cli", include: ["src/**/__tests__/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
});
