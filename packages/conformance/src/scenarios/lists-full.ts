import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * Other MSRs already fill KVM's autoload lists (MAX_NR_LOADSTORE_MSRS = 8), so perf's
 * PEBS_ENABLE entry does not fit: add_atomic_switch_msr prints "Not enough msr switch entries"
 * once and leaves the MSR unswitched.
 */
export const listsFull: Scenario = {
  id: "lists-full",
  title: "other MSRs fill the autoload lists before perf's PEBS_ENABLE",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp")],
  initial: [{ event: "cycles:pp", counter: 0 }],
  maxSamplesPerTick: 4,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [],
  exits: ["slow"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 1,
  otherMsrs: 8,
  staleBound: 1,
  guards: ["list-full", "round-trip"],
};
