import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * The throttle window with fastpath exits (MSR_WRITE to TSC_DEADLINE, the preemption timer):
 * vmx_vcpu_run re-enters at once and re-runs atomic_switch_perf_msrs with IRQs still off, so
 * no tick can unthrottle between the round trips.
 */
export const fastpathReentry: Scenario = {
  id: "fastpath-reentry",
  title: "host PEBS event near its throttle limit, fastpath exits re-entering with IRQs off",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp")],
  initial: [{ event: "cycles:pp", counter: 0, interrupts: 1 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 1,
  activities: [],
  exits: ["fastpath"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 3,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["fastpath-reentry", "throttled-after-snapshot"],
};
