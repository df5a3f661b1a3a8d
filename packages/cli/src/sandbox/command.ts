import { Worker } from "node:worker_threads";
import type { Io } from "../io.js";
import { builtFile, WORKER_EXEC_ARGV } from "./worker-file.js";

export interface CommandSetup {
  readonly argv: readonly string[];
  readonly isTTY: boolean;
  readonly errIsTTY: boolean;
}

export type CommandReply =
  | { readonly kind: "out" | "err"; readonly text: string }
  | { readonly kind: "exit"; readonly code: number }
  | { readonly kind: "crash"; readonly message: string };

/** A bug of switchlab's own inside the command's worker (bin.ts reports it as an internal error). */
export class CommandCrash extends Error {}

/**
 * Run a command in a sandboxed worker (command-worker.ts) and relay its output. The exit code is
 * the one the command posted; a worker that ends without posting one (a plugin called
 * process.exit, or crashed it) is one line naming what happened and exit code 1, never the
 * plugin's own exit code.
 */
export function runCommandSandboxed(argv: readonly string[], io: Io): Promise<number> {
  const file = builtFile(import.meta.url, "./command-worker.js");
  return new Promise((resolve, reject) => {
    const setup: CommandSetup = { argv, isTTY: io.isTTY?.() === true, errIsTTY: io.errIsTTY?.() === true };
    const w = new Worker(file, {
      workerData: setup,
      ...(WORKER_EXEC_ARGV ? { execArgv: WORKER_EXEC_ARGV } : {}),
      stdout: true,
      stderr: true,
    });
    // A plugin's own console output goes to stderr: stdout carries the command's results.
    w.stdout.on("data", (d) => io.err(String(d)));
    w.stderr.on("data", (d) => io.err(String(d)));
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      w.removeAllListeners("message");
      f();
    };
    w.on("message", (r: CommandReply) => {
      switch (r.kind) {
        case "out":
          return io.out(r.text);
        case "err":
          return io.err(r.text);
        case "exit":
          return settle(() => resolve(r.code));
        case "crash":
          return settle(() => reject(new CommandCrash(r.message)));
      }
    });
    const ended = (why: string) =>
      settle(() => {
        io.err(
          `switchlab: the command's sandboxed worker ${why} before the command finished: a plugin ended or crashed it (its output above, if any, is incomplete)\n`,
        );
        resolve(1);
      });
    w.on("error", (e) => ended(`threw ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`));
    w.on("exit", (code) => ended(`exited with code ${code}`));
  });
}
