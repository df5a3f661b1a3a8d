import type { Action } from "../machine.js";
import { BUDGET_SPEC, type World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The rule (the scenario's cap on one perf event's overflows, whichever counter x86_schedule_events
 * gives it): an overflow or latent assist of counter k's event needs a cap above the overflows
 * that event has taken so far. A counter holding no event needs nothing.
 */
export function overflowsPerEventNeed(w: World, a: Action): number {
  if (a.kind !== "overflow" && a.kind !== "latent") return 0;
  const ev = (w.perf.events[a.arg] ?? 0) - 1;
  return ev < 0 ? 0 : (w.budget.evOverflows[ev] ?? 0) + 1;
}

/** At most this many overflows per event, or "none" (no cap). */
export const OVERFLOWS_PER_EVENT: AssumptionSpec<"overflowsPerEvent", number | "none"> = {
  id: "overflowsPerEvent",
  title: "overflows per event",
  unit: "",
  flag: "--overflows-per-event",
  env: "SWITCHLAB_OVERFLOWS_PER_EVENT",
  help: "at most n overflows per event, or none (no cap)",
  short: "ovf/ev",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.evOverflows.max, word: "none" },
  default: "none",
  read: (sc) => sc.overflows.perEvent ?? "none",
  write: (sc, v) => ({
    ...sc,
    overflows: {
      counters: sc.overflows.counters,
      budget: sc.overflows.budget,
      ...(v === "none" ? {} : { perEvent: v }),
    },
  }),
  // Printed with the overflows in all: `overflows 2 (1 per event)`.
  label: (v) => (v === "none" ? "" : `(${v} per event)`),
  labelJoin: " ",
  frontier: { floor: 1, ceiling: 4, monotone: true, why: "a cap need not be reached" },
  need: overflowsPerEventNeed,
};
