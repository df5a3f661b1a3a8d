import type { Scenario } from "@switchlab/model";
import { hostOnlySamplingEvent } from "@switchlab/perf";

/**
 * The mediated vPMU when a VMRESUME fails (VMfail, vmx->fail): nothing is loaded or saved, so
 * vmx_vcpu_run skips vmx_refresh_guest_perf_global_control (7.1.5 vmx.c l.7652) and the run
 * stops after kvm_mediated_pmu_put. The AMD side had the stale-value bug here in 2026 (KVM: SVM:
 * Sync guest's PERF_CNTR_GLOBAL_CTL from h/w only on successful VMRUN, 7.3-rc5); this scenario
 * asks the same of VMX.
 */
export const mediatedFailedEntry: Scenario = {
  id: "mediated-failed-entry",
  title: "mediated vPMU: a VM-entry that fails (VMfail) after a round trip, PMIs around it",
  kernel: "v7.3",
  minKernel: "v7.3",
  minKernelWhy: "the mediated vPMU was merged in 7.0; the model's first version with it is v7.3",
  kvm: { enableMediatedPmu: true },
  events: [hostOnlySamplingEvent("cycles:H")],
  initial: [{ event: "cycles:H", counter: 0 }],
  maxSamplesPerTick: 4,
  overflows: { counters: [0, 1], budget: 1 },
  nmiBudget: 1,
  tickBudget: 0,
  activities: [],
  exits: ["slow", "failed-entry"],
  vcpu: { hasPmu: true, guestCounters: 0b10 },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["failed-entry", "mediated-pmu-put"],
};
