import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * A host PEBS event with no interrupts left in its tick: max_samples_per_tick = 1, which perf
 * reaches by itself when it lowers perf_event_max_sample_rate to HZ or less after "perf:
 * interrupt took too long" (perf_sample_event_took), or root sets. On v6.16 the throttle check
 * of __perf_event_account_interrupt also covers the first interrupt of a tick, so every PMI of
 * the event throttles it; two overflows and a tick let it be throttled, unthrottled and
 * throttled again.
 */
export const pebsZeroLeftV616: Scenario = {
  id: "pebs-zero-left-v616",
  title: "v6.16: host PEBS event with zero interrupts left (max_samples_per_tick = 1), two overflows",
  kernel: "v6.16",
  events: [hostPebsEvent("cycles:pp")],
  initial: [{ event: "cycles:pp", counter: 0 }],
  maxSamplesPerTick: 1,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 1,
  activities: [],
  exits: ["fastpath", "slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["throttled-after-snapshot", "round-trip"],
};
