import type { Scenario } from "@switchlab/model";
import { hostOnlySamplingEvent } from "@switchlab/perf";

/**
 * What every mediated-vPMU scenario shares: v7.3 (the model's first version with the mediated
 * vPMU, merged in 7.0), kvm.enable_mediated_pmu, a host `cycles:H` event on counter 0 (a mediated
 * VM coexists only with exclude_guest events), overflows on counters 0 and 1, no ticks or perf
 * scheduling, and one round trip's stale bound. Each scenario adds its guest, exits and budgets.
 */
export function mediatedScenario(
  s: Pick<Scenario, "id" | "title" | "overflows" | "nmiBudget" | "exits" | "maxRoundTrips" | "guards"> & {
    readonly guestCounters: number;
  },
): Scenario {
  const { guestCounters, ...rest } = s;
  return {
    ...rest,
    kernel: "v7.3",
    minKernel: "v7.3",
    minKernelWhy: "the mediated vPMU was merged in 7.0; the model's first version with it is v7.3",
    kvm: { enableMediatedPmu: true },
    events: [hostOnlySamplingEvent("cycles:H")],
    initial: [{ event: "cycles:H", counter: 0 }],
    maxSamplesPerTick: 4,
    tickBudget: 0,
    activities: [],
    vcpu: { hasPmu: true, guestCounters },
    otherMsrs: 0,
    staleBound: 1,
  };
}
