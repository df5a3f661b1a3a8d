/**
 * The first module a worker that runs plugin code imports (pool/worker.ts, sandbox's discovery
 * and command workers). Before any switchlab or plugin code is evaluated:
 * 1. Clocks, randomness and timers are replaced by functions that throw and record the call
 *    (Date.now, Math.random, performance.now, crypto's random functions, process.hrtime, the
 *    timers), so a policy that reads one fails loudly instead of making two runs differ. The
 *    call is recorded even when the plugin catches the throw; the worker turns a recorded call
 *    into the row's `error` (nondeterministicCalls). The explorer's optional time limit reads the
 *    real clock kept under Symbol.for("switchlab.clock").
 * 2. SES `lockdown()` (https://github.com/endojs/endo/tree/master/packages/ses) freezes every
 *    JavaScript intrinsic: a plugin that assigns Array.prototype.sort or Map.prototype.has throws
 *    a TypeError naming the object instead of changing every other policy's results. Errors keep
 *    their stacks (errorTaming "unsafe"), so an error still names the plugin's file and line.
 * 3. `Reflect` is given a fresh object inheriting the frozen one, so reflect-metadata (which
 *    tsyringe needs, and which lockdown would remove as a non-standard intrinsic) can be loaded
 *    after lockdown; hardenExports() then freezes it with switchlab's own exports.
 */
import "ses";

const CLOCK = Symbol.for("switchlab.clock");
const calls: string[] = [];

/** What a plugin may not call while switchlab explores, and why. */
export class NondeterminismError extends Error {}

function stub<T extends object>(owner: T | undefined, key: keyof T & string, what: string): void {
  if (!owner || typeof owner[key] !== "function") return;
  Object.defineProperty(owner, key, {
    configurable: true,
    writable: true,
    // An arrow function: no `prototype`, which lockdown would have to remove.
    value: (): never => {
      calls.push(what);
      throw new NondeterminismError(
        `${what} is not available to policy code: switchlab's explorations must be deterministic (no clock, randomness or timer)`,
      );
    },
  });
}

(globalThis as Record<symbol, unknown>)[CLOCK] = Date.now.bind(Date);
stub(Date, "now", "Date.now()");
stub(Math, "random", "Math.random()");
stub(globalThis.performance, "now", "performance.now()");
stub(globalThis.crypto, "getRandomValues", "crypto.getRandomValues()");
stub(globalThis.crypto, "randomUUID", "crypto.randomUUID()");
stub(process, "hrtime", "process.hrtime()");
for (const t of ["setTimeout", "setInterval", "setImmediate"] as const) stub(globalThis, t, `${t}()`);

lockdown({
  errorTaming: "unsafe",
  stackFiltering: "verbose",
  overrideTaming: "severe",
  consoleTaming: "unsafe",
  errorTrapping: "none",
  unhandledRejectionTrapping: "none",
  evalTaming: "unsafe-eval",
  localeTaming: "unsafe",
});
globalThis.Reflect = Object.create(Reflect);

/** The calls to a clock, randomness or a timer since the last look (and forget them). */
export function nondeterministicCalls(): string[] {
  return calls.splice(0, calls.length);
}

/**
 * Freeze everything switchlab's packages export, deeply (SES harden), except zod schemas, which
 * cache lazily in themselves. Call once the packages are imported, before any plugin is.
 */
export function hardenExports(...namespaces: readonly Record<string, unknown>[]): void {
  for (const ns of namespaces)
    for (const v of Object.values(ns))
      if (((typeof v === "object" && v !== null) || typeof v === "function") && !("_zod" in v)) harden(v);
  harden(globalThis.Reflect);
}
