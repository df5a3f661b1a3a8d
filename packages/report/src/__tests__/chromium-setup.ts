import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian's Chromium, which the HTML report is tested in (playwright-core drives it; no browser download). */
export const CHROMIUM = process.env.SWITCHLAB_CHROMIUM || "/usr/bin/chromium";

/**
 * Make sure Chromium is installed: the test set-up installs Debian's package if it is missing
 * (CI runs as root on a fresh machine; .ci/run does the same before the tests).
 */
export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["install", "-y", "-q", "chromium"], { stdio: "inherit", env });
  } catch {
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-q", "chromium"], { stdio: "inherit", env });
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not at ${CHROMIUM} after apt-get install chromium; set SWITCHLAB_CHROMIUM`);
}
