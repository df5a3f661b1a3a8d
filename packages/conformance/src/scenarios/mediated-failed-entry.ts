import type { Scenario } from "@switchlab/model";
import { mediatedScenario } from "./mediated-base.js";

/**
 * The mediated vPMU when a VMRESUME fails (VMfail, vmx->fail): nothing is loaded or saved, so
 * vmx_vcpu_run skips vmx_refresh_guest_perf_global_control (7.1.5 vmx.c l.7652) and the run
 * stops after kvm_mediated_pmu_put. The AMD side had the stale-value bug here in 2026 (KVM: SVM:
 * Sync guest's PERF_CNTR_GLOBAL_CTL from h/w only on successful VMRUN, 7.3-rc5); this scenario
 * asks the same of VMX.
 */
export const mediatedFailedEntry: Scenario = mediatedScenario({
  id: "mediated-failed-entry",
  title: "mediated vPMU: a VM-entry that fails (VMfail) after a round trip, PMIs around it",
  guestCounters: 0b10,
  overflows: { counters: [0, 1], budget: 1 },
  nmiBudget: 1,
  exits: ["slow", "failed-entry"],
  maxRoundTrips: 2,
  guards: ["failed-entry", "mediated-pmu-put"],
});
