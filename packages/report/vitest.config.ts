import { defineProject } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

export default defineProject({
  ...sharedConfig(),
  test: {
    name: "report",
    include: ["src/**/__tests__/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./src/__tests__/chromium-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
