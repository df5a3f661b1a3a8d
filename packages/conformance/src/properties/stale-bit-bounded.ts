import { staleBits } from "@switchlab/model";
import type { ConformanceProperty } from "../property.js";

export const staleBitBounded: ConformanceProperty = {
  id: "stale-bit-bounded",
  title: "a stale PEBS_ENABLE bit clears within the scenario's bound of round trips",
  short: "stale",
  symptom: "a PEBS_ENABLE bit perf no longer has survives N VM round trips",
  worldSymptom: "stale-pebs-enable",
  consequence:
    "a stale PEBS_ENABLE bit is carried from one VM-entry to the next by the snapshot intel_guest_get_msrs (arch/x86/events/intel/core.c) takes each time, so the counter keeps doing PEBS assists for an event perf removed, round trip after round trip, instead of once",
  toExplorer: (cell) => ({
    id: "stale-bit-bounded",
    kind: "persistence",
    condition: (w) => staleBits(w) !== 0,
    progress: (a, b) => b.kvm.roundTrips > a.kvm.roundTrips,
    bound: cell.scenario.staleBound,
  }),
};
