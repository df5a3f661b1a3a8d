import type { Scenario } from "@switchlab/model";
import { hostOnlySamplingEvent } from "@switchlab/perf";

/**
 * The mediated vPMU (kvm.enable_mediated_pmu, 7.0 on) with a host sampling event that excludes
 * the guest on counter 0 and a guest that samples on counters 0 and 1: the guest takes over the
 * counter the host event leaves at kvm_mediated_pmu_load, and gives it back at
 * kvm_mediated_pmu_put. Overflows and PMIs may come at every step of load and put, in the guest,
 * and around slow and fastpath exits.
 */
export const mediatedHostSampling: Scenario = {
  id: "mediated-host-sampling",
  title:
    "mediated vPMU: a host cycles:H event and a sampling guest sharing counter 0, PMIs at every step of load and put",
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
  exits: ["slow", "fastpath"],
  vcpu: { hasPmu: true, guestCounters: 0b11 },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: [
    "round-trip",
    "mediated-guest-counts",
    "mediated-guest-pmi",
    "mediated-host-pmi-handled",
    "mediated-pmu-put",
  ],
};
