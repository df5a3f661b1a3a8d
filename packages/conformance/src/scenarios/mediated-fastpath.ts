import type { Scenario } from "@switchlab/model";
import { hostOnlySamplingEvent } from "@switchlab/perf";

/**
 * The mediated vPMU with fastpath exits only: vcpu_enter_guest's loop re-runs vmx_vcpu_run with
 * the guest's PMU still loaded (no kvm_mediated_pmu_put/_load between the entries, 7.1.5 x86.c
 * l.11447-11474), so the guest's GLOBAL_CTRL must survive several save/refresh/load rounds and a
 * guest PMI may be pending across them.
 */
export const mediatedFastpath: Scenario = {
  id: "mediated-fastpath",
  title: "mediated vPMU: fastpath re-entries with the guest's PMU loaded, guest PMIs across them",
  kernel: "v7.3",
  minKernel: "v7.3",
  minKernelWhy: "the mediated vPMU was merged in 7.0; the model's first version with it is v7.3",
  kvm: { enableMediatedPmu: true },
  events: [hostOnlySamplingEvent("cycles:H")],
  initial: [{ event: "cycles:H", counter: 0 }],
  maxSamplesPerTick: 4,
  overflows: { counters: [0, 1], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [],
  exits: ["fastpath"],
  vcpu: { hasPmu: true, guestCounters: 0b10 },
  maxRoundTrips: 3,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["fastpath-reentry", "mediated-guest-counts", "mediated-guest-pmi"],
};
