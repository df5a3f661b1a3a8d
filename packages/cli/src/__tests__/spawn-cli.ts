import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository, and its built CLI (what a user runs). */
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
export const BIN = join(REPO, "packages", "cli", "dist", "bin.js");

/** The built CLI in a child process: its exit code, stdout and stderr. */
export function cli(args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
