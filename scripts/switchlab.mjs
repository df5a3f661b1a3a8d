#!/usr/bin/env node
// `pnpm switchlab ...`: bring dist/ up to date (skipped at once when no build input changed,
// scripts/lib/build.mjs), then run the CLI in a child Node with a larger young generation. The
// explorer allocates little, but traces and reports allocate many short-lived strings; 64 MiB
// semi-spaces keep them out of the old generation. SIGINT, SIGTERM and SIGHUP are passed on to
// the CLI, which stops cleanly (no partial --out file); this process then exits as the CLI did.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build, since } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!process.env.SWITCHLAB_NO_BUILD) {
  const t0 = Date.now();
  let said = false;
  const r = await build(root, {
    log: (l) => {
      if (!said)
        process.stderr.write(
          "switchlab: sources changed since the last build; compiling (about 20 s the first time)\n",
        );
      said = true;
      process.stderr.write(`${l}\n`);
    },
  });
  if (!r.ok) {
    for (const e of r.errors) process.stderr.write(`${e}\n`);
    process.stderr.write(
      "switchlab: the build failed (above); fix it, or run with SWITCHLAB_NO_BUILD=1 to use the last build\n",
    );
    process.exit(2);
  }
  if (!r.skipped) process.stderr.write(`switchlab: compiled in ${since(t0)} s\n`);
}
const child = spawn(
  process.execPath,
  [
    "--max-semi-space-size=64",
    fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url)),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
// pnpm does not pass a SIGTERM it receives on to the script it runs: it exits, and this process
// (exec'd by the script's shell, so pnpm's child) is left with another parent. Notice that, and
// stop the CLI as if the signal had reached it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill("SIGTERM");
}, 200).unref();
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
