import { defineProject } from "vitest/config";
import { sharedConfig, testDefaults } from "../../vitest.shared.js";

/**
 * The matrix tier (`pnpm test:matrix`): tests that read the default matrix, computed once by
 * scripts/test-matrix.mjs, instead of exploring it. Never part of `pnpm test`.
 */
export default defineProject({
  ...sharedConfig(),
  test: { ...testDefaults("matrix"), include: ["src/__matrix__/**/*.test.ts"] },
});
