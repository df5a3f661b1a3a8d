#!/usr/bin/env node
// `pnpm switchlab ...`: bring dist/ up to date (skipped at once when no build input changed,
// scripts/lib/build.mjs), then run the CLI in a child Node with a larger young generation. The
// explorer allocates little, but traces and reports allocate many short-lived strings; 64 MiB
// semi-spaces keep them out of the old generation. SIGINT, SIGTERM and SIGHUP are passed on to
// the CLI, which stops cleanly (no partial --out file); this process then exits as the CLI did.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { build, since } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
// The signals are this process's from its first moment, before it starts the CLI: one that came
// before the CLI ran would otherwise end this process by default and leave the CLI it was
// starting running on its own (seen under load: the CLI was already in /proc, this process's
// handlers not yet installed, and pnpm's SIGTERM reached it). Before the CLI exists, a signal
// stops the run here; after, it is passed on.
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
let child;
let stoppedBy;
for (const sig of SIGNALS)
  process.on(sig, () => {
    if (child) child.kill(sig);
    else stoppedBy ??= sig;
  });
/** Exit as the signal would have ended this process (the shell then sees 128 + n). */
const endBy = (sig) => {
  for (const s of SIGNALS) process.removeAllListeners(s);
  process.kill(process.pid, sig);
  process.exit(128 + (constants.signals[sig] ?? 0));
};
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
  // Stopped while it built (a Ctrl-C reaches the compilers too): say so by the signal, not as a failed build.
  if (stoppedBy) endBy(stoppedBy);
  if (!r.ok) {
    for (const e of r.errors) process.stderr.write(`${e}\n`);
    process.stderr.write(
      "switchlab: the build failed (above); fix it, or run with SWITCHLAB_NO_BUILD=1 to use the last build\n",
    );
    process.exit(2);
  }
  if (!r.skipped) process.stderr.write(`switchlab: compiled in ${since(t0)} s\n`);
}
if (stoppedBy) endBy(stoppedBy);
child = spawn(
  process.execPath,
  [
    "--max-semi-space-size=64",
    fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url)),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
// pnpm need not pass a SIGTERM it receives on to the script it runs: it may exit, and this
// process (exec'd by the script's shell, so pnpm's child) is left with another parent. Notice
// that, and stop the CLI as if the signal had reached it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill("SIGTERM");
}, 200).unref();
child.on("exit", (code, signal) => {
  if (signal) endBy(signal);
  else process.exit(code ?? 1);
});
