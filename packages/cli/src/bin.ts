#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "./main.js";
import { removeTemporaryFiles } from "./write-atomic.js";

// A reader that stops early (`| head`) closes the pipe: stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

// Stopped (Ctrl-C, kill, a closed terminal; `pnpm switchlab` passes each on): no --out file is
// left half-written, and the exit status says which signal, as a shell expects (128 + n).
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
for (const [sig, n] of Object.entries(SIGNALS))
  process.on(sig, () => {
    removeTemporaryFiles();
    process.stderr.write(`switchlab: stopped by ${sig}; no output was written\n`);
    process.exit(128 + n);
  });

/** A bug of switchlab's own: one line, and the whole stack in a log file to attach to a report. */
function internalError(e: unknown): void {
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  const log = join(tmpdir(), `switchlab-internal-error-${process.pid}.log`);
  let where = "";
  try {
    writeFileSync(log, `switchlab ${process.argv.slice(2).join(" ")}\n${text}\n`);
    where = `; the full log is ${log}`;
  } catch {
    // the log could not be written: the one line is all there is
  }
  const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
  process.stderr.write(
    `switchlab: internal error: ${first}${where} (a bug in switchlab: please report it with the log)\n`,
  );
  process.exitCode = 70;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, internalError);
