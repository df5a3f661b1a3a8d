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
await import("../packages/cli/dist/bin.js");
