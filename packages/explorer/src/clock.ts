/**
 * The wall clock the optional time limit (`Bounds.timeLimitMs`, off by default) reads: the real
 * clock a sandboxed worker keeps under Symbol.for("switchlab.clock") before it takes clocks away
 * from plugin code (cli/src/sandbox/harden.ts), else Date.now. Nothing else in the explorer
 * reads a clock: results never depend on one.
 */
export function wallClock(): number {
  const kept = (globalThis as Record<symbol, unknown>)[Symbol.for("switchlab.clock")];
  return typeof kept === "function" ? (kept as () => number)() : Date.now();
}
