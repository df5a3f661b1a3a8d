import type { MatrixCell } from "@switchlab/conformance";
import type { Io } from "./io.js";

/**
 * Progress of a matrix run on stderr: on a terminal, one bar rewritten in place (rows done,
 * states explored, rate); otherwise one line per (policy, profile, scenario) a worker explored.
 * Rows answered without exploring (the row cache, an equivalent profile's row, original's) get no
 * line of their own off a terminal: the run's summary line counts them, and a log of a warm
 * re-run is not 2,178 lines long. The rate uses the wall clock, for display only: it never
 * reaches the results.
 */
export function progressReporter(
  io: Io,
): (done: number, total: number, cells: readonly MatrixCell[], states: number, explored?: boolean) => void {
  const tty = io.errIsTTY?.() === true;
  const started = Date.now();
  let states = 0;
  return (done, total, cells, n, explored = true) => {
    if (explored) states += n;
    const c = cells[0];
    const bad = cells.filter((x) => x.verdict === "violated").length;
    if (!tty) {
      if (!explored) return;
      io.err(`[${done}/${total}] ${c?.policy} ${c?.profile} ${c?.scenario}: ${n} states, ${bad} violated\n`);
      return;
    }
    const width = 30;
    const fill = Math.round((done / total) * width);
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = Math.round(states / secs).toLocaleString("en-US");
    io.err(
      `\r[${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${total} rows | ${states.toLocaleString("en-US")} states | ${rate} states/s `,
    );
    if (done === total) io.err("\n");
  };
}
