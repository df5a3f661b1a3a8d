import { hostCountingWrong } from "@switchlab/model";
import { always, type ConformanceProperty } from "../property.js";

/**
 * The host-side consequences of the MSRs perf hands KVM besides PEBS_ENABLE (GLOBAL_CTRL,
 * DS_AREA, PEBS_DATA_CFG), restored at VM-exit from values intel_guest_get_msrs computed before
 * entry (model/src/host-counting.ts says what counts as a consequence). A stale value with no
 * consequence, such as the GLOBAL_CTRL bit of a counter the PMI stopped (EVTSEL.EN clear), is in
 * the trace, never a violation; if perf later schedules an event on that counter before its next
 * PMU enable, the explorer finds the consequence, if the kernel allows it.
 */
export const hostPerfMsrsFresh: ConformanceProperty = {
  id: "host-perf-msrs-fresh",
  title:
    "once IRQs are back on after a VM-exit, with the PMU enabled, every GP counter counts exactly when perf runs a host event on it, and no PEBS counter counts through a DS_AREA or PEBS_DATA_CFG perf did not set up",
  short: "msrs",
  symptom:
    "after the VM-exit a counter counts for the host although perf gave it to the guest (or stopped it), a host event perf runs does not count, or PEBS records go to the wrong debug store or format",
  worldSymptom: "stale-perf-msr",
  consequence:
    "the VM-exit load list restores host values intel_guest_get_msrs (arch/x86/events/intel/core.c) computed before entry; where perf changed its counters since, a guest counter counts host code, a host event loses samples, or PEBS writes through a debug store perf did not set up (arch/x86/events/intel/ds.c)",
  toExplorer: (cell) => {
    const { pebsBaseline } = cell.env.pmu;
    return always(
      "host-perf-msrs-fresh",
      (w) =>
        !(cell.machine.isIrqsOn(w) && w.kvm.roundTrips > 0 && w.perf.enabled === 1) ||
        hostCountingWrong(w, cell.env.hw, pebsBaseline).length === 0,
    );
  },
};
