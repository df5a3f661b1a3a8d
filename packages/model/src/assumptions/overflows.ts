import type { Action } from "../machine.js";
import { BUDGET_SPEC, type World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The rule (hardware pmu.ts overflowGp and pebs.ts latentPebsAssist, each an overflow the
 * scenario's budget pays for): the world counts the overflows left down from the budget `at`, so
 * the k-th overflow or latent assist (k = at - left + 1) needs a budget of at least k.
 */
export function overflowsNeed(w: World, a: Action, at: number): number {
  return a.kind === "overflow" || a.kind === "latent" ? at - w.budget.overflows + 1 : 0;
}

/** Counter overflows in all: the scenario's budget (cell.ts initialWorld starts the count). */
export const OVERFLOWS: AssumptionSpec<"overflows", number> = {
  id: "overflows",
  title: "overflows",
  unit: "",
  flag: "--overflows",
  env: "SWITCHLAB_OVERFLOWS",
  help: "counter overflows in all",
  short: "ovf",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.overflows.max },
  read: (sc) => sc.overflows.budget,
  write: (sc, v) => ({
    ...sc,
    overflows: {
      counters: sc.overflows.counters,
      budget: v,
      ...(sc.overflows.perEvent === undefined ? {} : { perEvent: sc.overflows.perEvent }),
    },
  }),
  label: (v) => `overflows ${v}`,
  frontier: { floor: 0, ceiling: 4, monotone: true, why: "a budget need not be spent" },
  need: overflowsNeed,
};
