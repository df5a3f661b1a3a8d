import type { Scenario } from "@switchlab/model";
import { hostPebsEvent } from "@switchlab/perf";

/**
 * `perf top` on the host (a host PEBS event) while a vCPU without a virtual PMU (`-cpu
 * host,-pmu`) runs: the case the 2020 revert of "Micro-optimize vmexit time when not exposing
 * PMU" was about (guests crashed at host DS + 0x38).
 */
export const vcpuWithoutPmu: Scenario = {
  id: "vcpu-without-pmu",
  title: "host PEBS event while a vCPU without a virtual PMU runs",
  source: "lore.kernel.org/kvm/20200619094046.654019-1-vkuznets@redhat.com",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp")],
  initial: [{ event: "cycles:pp", counter: 0 }],
  maxSamplesPerTick: 4,
  overflows: { counters: [0], budget: 2 },
  nmiBudget: 2,
  tickBudget: 0,
  activities: [],
  exits: ["slow"],
  vcpu: { hasPmu: false },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: ["round-trip"],
};
