import type { Scenario } from "@switchlab/model";
import { mediatedScenario } from "./mediated-base.js";

/**
 * The mediated vPMU with fastpath exits only: vcpu_enter_guest's loop re-runs vmx_vcpu_run with
 * the guest's PMU still loaded (no kvm_mediated_pmu_put/_load between the entries, 7.1.5 x86.c
 * l.11447-11474), so the guest's GLOBAL_CTRL must survive several save/refresh/load rounds and a
 * guest PMI may be pending across them.
 */
export const mediatedFastpath: Scenario = mediatedScenario({
  id: "mediated-fastpath",
  title: "mediated vPMU: fastpath re-entries with the guest's PMU loaded, guest PMIs across them",
  guestCounters: 0b10,
  overflows: { counters: [0, 1], budget: 2 },
  nmiBudget: 2,
  exits: ["fastpath"],
  maxRoundTrips: 3,
  guards: ["fastpath-reentry", "mediated-guest-counts", "mediated-guest-pmi"],
});
