import type { Scenario } from "@switchlab/model";
import { hostSamplingEvent } from "@switchlab/perf";

/**
 * No host PEBS at all: one host sampling event. The cost baseline (what a round trip costs when
 * nothing needs PEBS_ENABLE switched), and a check that candidates leave this case alone.
 */
export const noHostPebs: Scenario = {
  id: "no-host-pebs",
  title: "no host PEBS: a host sampling event only (cost baseline)",
  kernel: "v5.11",
  events: [hostSamplingEvent("instructions")],
  initial: [{ event: "instructions", counter: 0 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 1 },
  nmiBudget: 1,
  tickBudget: 1,
  activities: [],
  exits: ["slow", "fastpath"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["round-trip", "host-sampling-sampled"],
};
