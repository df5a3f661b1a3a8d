import { defineProject } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

export default defineProject({
  ...sharedConfig(),
  test: {
    name: "policy-v74-queued-cleanups",
    include: ["src/**/__tests__/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
