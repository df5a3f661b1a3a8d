import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The Chromium the HTML report is tested in, driven by playwright-core (which never downloads a
 * browser): SWITCHLAB_CHROMIUM if set, else the first `chromium` or `chromium-browser` on PATH
 * (Debian's package installs /usr/bin/chromium). Looked up on PATH, not at a fixed path, so a
 * machine without it (or a PATH stripped of it) is seen as one.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SWITCHLAB_CHROMIUM) return env.SWITCHLAB_CHROMIUM;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of ["chromium", "chromium-browser"]) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {}
    }
  }
  return undefined;
}

export const CHROMIUM = findChromium();

/** Why the browser tests are skipped, in one line naming what is missing and how to get it. */
export const MISSING_CHROMIUM =
  "report: browser tests skipped: no Chromium on PATH (install Debian's chromium, `apt-get install chromium`, or set SWITCHLAB_CHROMIUM to a Chromium binary)";

/**
 * vitest global set-up: without Chromium the browser tests are skipped with one line, unless
 * SWITCHLAB_REQUIRE_BROWSER=1 (CI sets it), where a missing browser fails the run.
 */
export default function setup(): void {
  if (CHROMIUM) return;
  if (process.env.SWITCHLAB_REQUIRE_BROWSER === "1")
    throw new Error(`${MISSING_CHROMIUM}; SWITCHLAB_REQUIRE_BROWSER=1 requires them`);
  process.stderr.write(`${MISSING_CHROMIUM}\n`);
}

/** Launch options every browser test uses (no network traffic of Chromium's own). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
