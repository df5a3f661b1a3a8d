import type { Action } from "../machine.js";
import { BUDGET_SPEC, type World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The rule (hardware apic.ts deliverPmi: each PMI the APIC delivers as an NMI is one the budget
 * pays for): the world counts the NMIs left down from the budget `at`, so the k-th delivery
 * (k = at - left + 1) needs a budget of at least k. A PMI that comes due with the budget spent
 * ends the run (machine.ts actionsInto): the budget only shortens runs.
 */
export function nmisNeed(w: World, a: Action, at: number): number {
  return a.kind === "nmi" && a.arg === 0 ? at - w.budget.nmis + 1 : 0;
}

/** PMIs delivered as NMIs in all: the scenario's budget (cell.ts initialWorld starts the count). */
export const NMIS: AssumptionSpec<"nmis", number> = {
  id: "nmis",
  title: "NMIs",
  unit: "",
  flag: "--max-nmis",
  env: "SWITCHLAB_MAX_NMIS",
  help: "PMIs delivered as NMIs in all",
  short: "nmis",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.nmis.max },
  read: (sc) => sc.nmiBudget,
  write: (sc, v) => ({ ...sc, nmiBudget: v }),
  label: (v) => `NMIs ${v}`,
  frontier: { floor: 0, ceiling: 4, monotone: true, why: "a budget need not be spent" },
  need: nmisNeed,
};
