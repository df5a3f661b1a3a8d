#!/usr/bin/env node
// `pnpm switchlab ...`: bring the built packages up to date (turbo, cached: about a second when
// nothing changed; output shown only on failure), then run the CLI with the given arguments.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!process.env.SWITCHLAB_NO_BUILD) {
  const b = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" },
  });
  if (b.status !== 0) {
    process.stderr.write(b.stdout + b.stderr);
    process.stderr.write("switchlab: the build failed (above); fix it, or run with SWITCHLAB_NO_BUILD=1\n");
    process.exit(2);
  }
}
// A larger young generation: the explorer allocates a world per transition, and most die young.
// With 64 MiB semi-spaces far fewer survive into the old generation (pnpm bench shows the effect).
const r = spawnSync(
  process.execPath,
  [
    "--max-semi-space-size=64",
    fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url)),
    ...process.argv.slice(2),
  ],
  {
    stdio: "inherit",
  },
);
process.exit(r.status ?? 1);
