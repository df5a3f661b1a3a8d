import type { Action } from "../machine.js";
import { BUDGET_SPEC, type World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The rule: an NMI that is not a PMI (the NMI watchdog's IPI backtrace, an NMI IPI, an external
 * NMI) may arrive whenever NMIs are unblocked (machine.ts actionsInto); the world counts the ones
 * left down from the budget `at`, so the k-th (k = at - left + 1) needs a budget of at least k.
 * Whatever its source, default_do_nmi runs every NMI_LOCAL handler, perf's among them
 * (arch/x86/kernel/nmi.c nmi_handle; perf_event_nmi_handler, arch/x86/events/core.c), so the PMI
 * handler runs with nothing overflowed; the NMI's own handler claims it (perf state
 * `otherNmiClaim`, nmi.ts defaultDoNmi).
 */
export function otherNmisNeed(w: World, a: Action, at: number): number {
  return a.kind === "nmi" && a.arg === 1 ? at - w.budget.otherNmis + 1 : 0;
}

/** NMIs from other sources in all (cell.ts initialWorld starts the count); 0 unless a scenario or the user says. */
export const OTHER_NMIS: AssumptionSpec<"otherNmis", number> = {
  id: "otherNmis",
  title: "other NMIs",
  unit: "",
  flag: "--other-nmis",
  env: "SWITCHLAB_OTHER_NMIS",
  help: "NMIs that are not PMIs (IPI backtrace, external) in all, each at any point NMIs are unblocked",
  short: "onmi",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.otherNmis.max },
  default: 0,
  read: (sc) => sc.otherNmiBudget ?? 0,
  write: (sc, v) => ({ ...sc, otherNmiBudget: v }),
  label: (v) => (v ? `other NMIs ${v}` : ""),
  frontier: { floor: 0, ceiling: 2, monotone: true, why: "a budget need not be spent" },
  need: otherNmisNeed,
};
