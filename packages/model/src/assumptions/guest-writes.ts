import type { Action } from "../machine.js";
import { BUDGET_SPEC, type World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The rule: the mediated guest's PMU writes (guest.ts: GLOBAL_CTRL, and a PMI handler's
 * GLOBAL_OVF_CTRL ack with its counters re-armed) may happen whenever the guest runs
 * (machine.ts actionsInto); the world counts the ones left down from the budget `at`, so the
 * k-th (k = at - left + 1) needs a budget of at least k. It means something only in rows with
 * the mediated vPMU (its guest passes those MSRs through); elsewhere the guest has no such action.
 */
export function guestWritesNeed(w: World, a: Action, at: number): number {
  return a.kind === "guest" ? at - w.budget.guestWrites + 1 : 0;
}

/** The default in mediated rows: one write (GLOBAL_CTRL off, or one PMI handler ack): the smallest budget that makes a missed save or restore of a guest PMU MSR visible (each mediated-path mutant in fixtures/mutants/ is violated under it). */
export const DEFAULT_GUEST_WRITES = 1;

/** Guest PMU writes in all (cell.ts initialWorld starts the count). */
export const GUEST_WRITES: AssumptionSpec<"guestWrites", number> = {
  id: "guestWrites",
  title: "guest PMU writes",
  unit: "",
  flag: "--guest-writes",
  env: "SWITCHLAB_GUEST_WRITES",
  help: "writes the mediated guest makes to its passed-through PMU MSRs in all (GLOBAL_CTRL on/off, a PMI handler's ack and counter re-arm), each whenever the guest runs",
  short: "gw",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.guestWrites.max },
  default: DEFAULT_GUEST_WRITES,
  // Only a mediated guest has passthrough PMU MSRs to write: elsewhere the default is 0 (and prints nothing).
  read: (sc) => sc.guestWriteBudget ?? (sc.kvm?.enableMediatedPmu ? DEFAULT_GUEST_WRITES : 0),
  write: (sc, v) => ({ ...sc, guestWriteBudget: v }),
  label: (v) => (v ? `guest writes ${v}` : ""),
  frontier: { floor: 0, ceiling: 3, monotone: true, why: "a budget need not be spent" },
  need: guestWritesNeed,
};
