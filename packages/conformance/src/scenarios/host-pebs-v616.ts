import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/** PEBS_DATA_CFG memory-info group (PEBS_DATACFG_MEMINFO, BIT(0)). */
const PEBS_DATACFG_MEMINFO = 1;

/**
 * The present kernel (v6.16) with a host PEBS event that samples adaptive record groups
 * (`perf record -e cycles:pp -d`, so PEBS_DATA_CFG is non-zero), near its throttle limit, with
 * fastpath exits: the "~1450 cycles with host PEBS" case of domain.md section 7 on Emerald
 * Rapids, and the throttle window on every CPU v6.16 switches PEBS_ENABLE for.
 */
export const hostPebsV616: Scenario = {
  id: "host-pebs-v616",
  title: "v6.16: host PEBS event with adaptive groups near its throttle limit, fastpath exits",
  kernel: "v6.16",
  events: [hostPebsEvent("cycles:pp", PEBS_DATACFG_MEMINFO)],
  initial: [{ event: "cycles:pp", counter: 0, interrupts: 1 }],
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
  guards: ["round-trip", "throttled-after-snapshot"],
};
