import type { Scenario } from "@switchlab/model";
import { hostPebsEvent, kvmGuestCounterEvent } from "@switchlab/perf";

/**
 * The throttle window, then perf hands the PEBS event's counter to a KVM guest-counter event
 * (exclude_host, counts in the guest only): the path to the guest page fault at DS_AREA + 0x38.
 */
export const handoffGuestCounter: Scenario = {
  id: "handoff-guest-counter",
  title: "throttled PEBS counter handed to a KVM guest-counter event",
  source: "lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp"), kvmGuestCounterEvent("kvm-pmc0")],
  initial: [{ event: "cycles:pp", counter: 0, interrupts: 1 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [
    {
      id: "pebs-out-guest-in",
      title: "cycles:pp leaves counter 0, kvm-pmc0 takes it",
      remove: ["cycles:pp"],
      add: [{ event: "kvm-pmc0", counter: 0 }],
    },
  ],
  exits: ["slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 5,
  otherMsrs: 0,
  staleBound: 3,
  guards: ["throttled-after-snapshot", "counter-handed-over", "guest-counter-counts"],
};
