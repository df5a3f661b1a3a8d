import type { Cell } from "./cell.js";
import type { Action } from "./machine.js";
import type { World } from "./world.js";

/** An interleaving carried over to another cell: the choices taken there, and the events that never became possible. */
export interface Projection {
  readonly choices: readonly string[];
  /** Asynchronous events of the source that were never enabled in the target (e.g. an NMI nobody raised). */
  readonly skipped: readonly string[];
}

/** Points that exist only where PEBS_ENABLE is switched; elsewhere the run loop goes straight to the loop's end. */
const PEBS_ONLY_POINTS: Readonly<Record<string, string>> = {
  "atomic_switch_perf_msrs:for-each-msr(PEBS_ENABLE)": "atomic_switch_perf_msrs:for-each-msr(end)",
  "add_atomic_switch_msr:wrmsr-pebs-enable-0": "atomic_switch_perf_msrs:for-each-msr(end)",
  "add_atomic_switch_msr:store(PEBS_ENABLE)": "atomic_switch_perf_msrs:for-each-msr(end)",
};

function isAsync(choice: string): boolean {
  return choice.includes("@");
}

/**
 * Carry the asynchronous events (overflows, NMIs, ticks, scheduling, VM-exits) of an interleaving
 * over to another cell, for example the same scenario on a CPU with PEBS isolation: the run
 * loop advances by its own steps until each event is enabled at the same program point (points
 * that only exist when PEBS_ENABLE is switched map to the end of the switch loop), then takes
 * it. An event never enabled before the run loop stops is skipped and reported; the projection
 * ends where the source did, at the IRQs-on point or the vCPU's stop.
 */
export function projectChoices(cell: Cell, source: readonly string[]): Projection {
  const m = cell.machine;
  let w: World = cell.initial;
  const out: string[] = [];
  const skipped: string[] = [];
  const take = (a: Action) => {
    out.push(m.actionName(w, a));
    w = m.apply(w, a);
  };
  const advance = (): boolean => {
    const acts = m.actions(w);
    const s = acts.find((x) => x.kind === "step") ?? acts.find((x) => x.kind === "exit");
    if (!s) return false;
    take(s);
    return true;
  };
  /** Advance by the run loop's own steps until `want` is enabled, then take it; false (state untouched) if it never is. */
  const seek = (want: string): boolean => {
    const start = { w, n: out.length };
    for (let guard = 0; guard < 200; guard++) {
      const a = m.findAction(w, want);
      if (a) {
        take(a);
        return true;
      }
      if (!advance()) break;
    }
    w = start.w;
    out.length = start.n;
    return false;
  };
  for (const c of source.filter(isAsync)) {
    const at = c.indexOf("@");
    const kind = c.slice(0, at);
    const point = c.slice(at + 1);
    const mapped = PEBS_ONLY_POINTS[point];
    // The same program point first; a point that only exists where PEBS_ENABLE is switched falls back to the loop's end.
    if (!seek(c) && !(mapped && seek(`${kind}@${mapped}`))) skipped.push(c);
  }
  const last = source[source.length - 1];
  if (last !== undefined && !isAsync(last)) {
    for (let guard = 0; guard < 200 && m.point(w) !== last && advance(); guard++) {}
    if (m.point(w) === last) advance();
  }
  return { choices: out, skipped };
}
