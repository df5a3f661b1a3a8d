import type { Action } from "../machine.js";
import { BUDGET_SPEC, type World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The rule (perf_event_task_tick, run with IRQs on between run-loop iterations: each tick is one
 * the budget pays for): the world counts the ticks left down from the budget `at`, so the k-th
 * tick (k = at - left + 1) needs a budget of at least k.
 */
export function ticksNeed(w: World, a: Action, at: number): number {
  return a.kind === "tick" ? at - w.budget.ticks + 1 : 0;
}

/** perf ticks (IRQs on) in all: the scenario's budget (cell.ts initialWorld starts the count). */
export const TICKS: AssumptionSpec<"ticks", number> = {
  id: "ticks",
  title: "ticks",
  unit: "",
  flag: "--ticks",
  env: "SWITCHLAB_TICKS",
  help: "perf ticks in all",
  short: "ticks",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.ticks.max },
  read: (sc) => sc.tickBudget,
  write: (sc, v) => ({ ...sc, tickBudget: v }),
  label: (v) => `ticks ${v}`,
  frontier: { floor: 0, ceiling: 2, monotone: true, why: "a budget need not be spent" },
  need: ticksNeed,
};
