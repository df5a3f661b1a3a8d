import { DS_GUEST } from "@switchlab/hardware";
import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * A vCPU that uses guest PEBS (v6.16, EPT-friendly PEBS): KVM backs the guest's PEBS counter 1
 * with a precise exclude_host event and hands perf its kvm_pmu (pebs_enable, ds_area), as
 * kvm-unit-tests x86/pmu_pebs.c exercises from inside the guest. A host PEBS event runs on
 * counter 0 beside it. KVM offers guest PEBS only with EPT-friendly PEBS (vmx_pebs_supported),
 * so the scenario does not apply to the Skylake profiles.
 */
export const guestPebs: Scenario = {
  id: "guest-pebs",
  title: "a vCPU using guest PEBS beside a host PEBS event (v6.16)",
  source: "kvm-unit-tests x86/pmu_pebs.c",
  kernel: "v6.16",
  events: [
    hostPebsEvent("cycles:pp"),
    { name: "kvm-pebs-pmc1", precise: true, excludeGuest: false, excludeHost: true },
  ],
  initial: [
    { event: "cycles:pp", counter: 0 },
    { event: "kvm-pebs-pmc1", counter: 1 },
  ],
  maxSamplesPerTick: 4,
  overflows: { counters: [0, 1], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [{ id: "host-pebs-out", title: "cycles:pp leaves counter 0", remove: ["cycles:pp"], add: [] }],
  exits: ["slow"],
  vcpu: { hasPmu: true, kvmPmu: { pebsEnable: 0b10, dsArea: DS_GUEST, pebsDataCfg: 0, hostCrossMappedMask: 0 } },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["round-trip", "guest-pebs-record"],
  requires: { eptFriendlyPebs: true },
};
