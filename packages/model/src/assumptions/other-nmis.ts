import type { Action } from "../machine.js";
import type { Scenario } from "../scenario.js";
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

/**
 * The default where a scenario states none: 1 with the mediated vPMU, 0 otherwise.
 *
 * Why there: kvm_mediated_pmu_load writes GLOBAL_CTRL = 0 (arch/x86/kvm/pmu.c, 7.1.5 l.1350) and
 * perf_load_guest_lvtpc switches LVTPC to vector 0xf5 before guest_lvtpc_loaded is set
 * (arch/x86/events/core.c l.1777-1779) while perf's cpuc->enabled is 1. Any NMI there runs
 * intel_pmu_handle_irq, whose __intel_pmu_enable_all turns GLOBAL_CTRL back on and whose
 * apic_write(APIC_LVTPC, APIC_DM_NMI) undoes the LVTPC switch: windows a PMI reaches only with a
 * long latency, an NMI from another source at any latency. Why not everywhere: one other NMI
 * multiplies a row's states by 10 to 14 (an NMI at every step), and on the rows without the
 * mediated vPMU the measured verdicts do not move with it (docs/todays-kernels.md, "NMIs that
 * are not PMIs"); `--other-nmis` sets it on every row.
 */
export function defaultOtherNmis(sc: Scenario): number {
  return sc.kvm?.enableMediatedPmu ? 1 : 0;
}

/** NMIs from other sources in all (cell.ts initialWorld starts the count): the scenario's, else {@link defaultOtherNmis}. */
export const OTHER_NMIS: AssumptionSpec<"otherNmis", number> = {
  id: "otherNmis",
  title: "other NMIs",
  unit: "",
  flag: "--other-nmis",
  env: "SWITCHLAB_OTHER_NMIS",
  help: "NMIs that are not PMIs (IPI backtrace, external) in all, each at any point NMIs are unblocked",
  short: "onmi",
  shape: { kind: "count", min: 0, max: BUDGET_SPEC.otherNmis.max },
  read: (sc) => sc.otherNmiBudget ?? defaultOtherNmis(sc),
  write: (sc, v) => ({ ...sc, otherNmiBudget: v }),
  label: (v) => `other NMIs ${v}`,
  frontier: { floor: 0, ceiling: 2, monotone: true, why: "a budget need not be spent" },
  need: otherNmisNeed,
};
