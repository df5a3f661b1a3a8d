import { configDefaults, defineProject } from "vitest/config";
import { sharedConfig, testDefaults } from "../../vitest.shared.js";

/**
 * The HTML report's browser tests drive a Chromium the project does not install: they are their
 * own tier, `pnpm --filter @switchlab/report run test:browser` (SWITCHLAB_BROWSER_TESTS=1; CI runs
 * it with SWITCHLAB_REQUIRE_BROWSER=1), never part of `pnpm test`, which needs nothing but Node.
 */
const BROWSER = ["src/__tests__/html.test.ts", "src/__tests__/diff-html.test.ts"];
const browser = process.env.SWITCHLAB_BROWSER_TESTS === "1";

export default defineProject({
  ...sharedConfig(),
  test: {
    ...testDefaults("report"),
    ...(browser
      ? { include: BROWSER, globalSetup: ["./src/__tests__/chromium-setup.ts"] }
      : { exclude: [...configDefaults.exclude, ...BROWSER] }),
  },
});
