import type { Scenario } from "@switchlab/model";
import { hostPebsEvent, hostSamplingEvent } from "@switchlab/perf";

/**
 * A host PEBS event near its throttle limit on counter 0 next to a host non-PEBS sampling event
 * on counter 1 (`perf record -e cycles:pp,instructions`): the sampling counter's PMIs are
 * another way into intel_pmu_handle_irq inside the switch window.
 */
export const pebsBesideSampling: Scenario = {
  id: "pebs-beside-sampling",
  title: "host PEBS event near its throttle limit next to a host sampling event on counter 1",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp"), hostSamplingEvent("instructions")],
  initial: [
    { event: "cycles:pp", counter: 0, interrupts: 1 },
    { event: "instructions", counter: 1 },
  ],
  maxSamplesPerTick: 2,
  overflows: { counters: [0, 1], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [],
  exits: ["slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["throttled-after-snapshot", "host-sampling-sampled"],
};
