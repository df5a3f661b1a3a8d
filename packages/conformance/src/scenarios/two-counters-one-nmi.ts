import type { Scenario } from "@switchlab/model";
import { hostSamplingEvent } from "@switchlab/perf";

/**
 * No PEBS at all: two host sampling events on counters 0 and 1 (`perf record -e
 * cycles,instructions`) overflow close together, so one NMI handles both PMIs and arms
 * swallow_nmi, and the other PMI's NMI is swallowed only if it comes back to back. If PMI
 * delivery can take longer than the handler's return path (perf's NMI_RETURN_INSNS), it comes
 * later and the kernel prints "Uhhuh". Nothing here depends on the MSR switch: the scenario is
 * the home of that finding (README, "Unknown NMIs the switch does not cause").
 */
export const twoCountersOneNmi: Scenario = {
  id: "two-counters-one-nmi",
  title: "no PEBS: two host sampling events overflow close together (unknown NMIs the switch does not cause)",
  kernel: "v5.11",
  events: [hostSamplingEvent("cycles"), hostSamplingEvent("instructions")],
  initial: [
    { event: "cycles", counter: 0 },
    { event: "instructions", counter: 1 },
  ],
  maxSamplesPerTick: 4,
  overflows: { counters: [0, 1], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [],
  exits: ["slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 1,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["one-nmi-two-pmis"],
};
