import type { Scenario } from "@switchlab/model";
import { hostSamplingEvent } from "@switchlab/perf";

/**
 * No host PEBS at all: one host sampling event, on the present kernel (v6.16), with fastpath
 * exits. The cost baseline of domain.md section 7 ("~1120 cycles without host PEBS" on Emerald
 * Rapids, fastpath exit, vCPU with a virtual PMU), and a check that candidates leave this case
 * alone.
 */
export const noHostPebs: Scenario = {
  id: "no-host-pebs",
  title: "no host PEBS: a host sampling event only (v6.16, the cost baseline)",
  kernel: "v6.16",
  events: [hostSamplingEvent("instructions")],
  initial: [{ event: "instructions", counter: 0 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 1,
  activities: [],
  exits: ["fastpath", "slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["round-trip", "host-sampling-sampled"],
};
