import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * Two host PEBS events on counters 0 and 1 (`perf record -e cycles:pp,instructions:pp`), the
 * first near its throttle limit: PEBS_ENABLE holds two bits, a PMI may throttle one while the
 * other keeps its bit, and one drain of the buffer serves both counters.
 */
export const twoPebsEvents: Scenario = {
  id: "two-pebs-events",
  title: "two host PEBS events on counters 0 and 1, the first near its throttle limit",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp"), hostPebsEvent("instructions:pp")],
  initial: [
    { event: "cycles:pp", counter: 0, interrupts: 1 },
    { event: "instructions:pp", counter: 1 },
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
  guards: ["throttled-after-snapshot", "every-pebs-event-sampled"],
};
