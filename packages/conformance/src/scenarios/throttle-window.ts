import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * The 2021 report's window: a host PEBS event (`perf record -e cycles:pp`, so exclude_guest) one
 * interrupt short of max_samples_per_tick, its counter free to overflow and PMIs free to land
 * anywhere in the run loop. The tick may unthrottle it.
 */
export const throttleWindow: Scenario = {
  id: "throttle-window",
  title: "host PEBS event near its throttle limit, PMIs anywhere in the run loop",
  source: "lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp")],
  initial: [{ event: "cycles:pp", counter: 0, interrupts: 1 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 1,
  activities: [],
  exits: ["slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["throttled-after-snapshot"],
};
