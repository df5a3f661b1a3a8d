import type { Scenario } from "@switchlab/model";
import { hostPebsEvent, hostSamplingEvent } from "@switchlab/perf";

/**
 * The throttle window, then perf gives the PEBS event's counter to a host non-PEBS sampling
 * event (EVTSEL.INT): with the stale PEBS_ENABLE bit an overflow raises two PMIs, the path to
 * "Uhhuh. NMI received for unknown reason".
 */
export const handoffHostSampling: Scenario = {
  id: "handoff-host-sampling",
  title: "throttled PEBS counter given to a host sampling event",
  source: "lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp"), hostSamplingEvent("instructions")],
  initial: [{ event: "cycles:pp", counter: 0, interrupts: 1 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 3,
  tickBudget: 0,
  activities: [
    {
      id: "pebs-out-sampling-in",
      title: "cycles:pp leaves counter 0, instructions takes it",
      remove: ["cycles:pp"],
      add: [{ event: "instructions", counter: 0 }],
    },
  ],
  exits: ["slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 3,
  guards: ["throttled-after-snapshot", "counter-handed-over", "host-sampling-sampled"],
};
