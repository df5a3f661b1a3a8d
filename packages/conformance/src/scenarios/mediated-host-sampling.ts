import type { Scenario } from "@switchlab/model";
import { mediatedScenario } from "./mediated-base.js";

/**
 * The mediated vPMU (kvm.enable_mediated_pmu, 7.0 on) with a host sampling event that excludes
 * the guest on counter 0 and a guest that samples on counters 0 and 1: the guest takes over the
 * counter the host event leaves at kvm_mediated_pmu_load, and gives it back at
 * kvm_mediated_pmu_put. Overflows and PMIs may come at every step of load and put, in the guest,
 * and around slow and fastpath exits.
 */
export const mediatedHostSampling: Scenario = mediatedScenario({
  id: "mediated-host-sampling",
  title:
    "mediated vPMU: a host cycles:H event and a sampling guest sharing counter 0, PMIs at every step of load and put",
  guestCounters: 0b11,
  overflows: { counters: [0, 1], budget: 2 },
  nmiBudget: 2,
  exits: ["slow", "fastpath"],
  maxRoundTrips: 2,
  guards: [
    "round-trip",
    "mediated-guest-counts",
    "mediated-guest-pmi",
    "mediated-host-pmi-handled",
    "mediated-pmu-put",
  ],
});
