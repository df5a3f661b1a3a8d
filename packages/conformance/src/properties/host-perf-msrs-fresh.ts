import { stalePerfMsrs } from "@switchlab/model";
import { always, type ConformanceProperty } from "../property.js";

export const hostPerfMsrsFresh: ConformanceProperty = {
  id: "host-perf-msrs-fresh",
  title:
    "once IRQs are back on after a VM-exit, with the PMU enabled, every other MSR perf hands KVM has perf's host value: GLOBAL_CTRL = intel_ctrl & ~intel_ctrl_guest_mask, DS_AREA = the host debug store, PEBS_DATA_CFG = cpuc->active_pebs_data_cfg",
  short: "msrs",
  symptom:
    "a stale snapshot restored at VM-exit: host GLOBAL_CTRL enables a counter perf gave the guest since (or lacks one perf gave back), or DS_AREA / PEBS_DATA_CFG are not the host's",
  worldSymptom: "stale-perf-msr",
  consequence:
    "the VM-exit load list holds the host values intel_guest_get_msrs (arch/x86/events/intel/core.c) computed before entry, so a change perf made since is undone: a counter given to the guest counts for the host (or a host event stops counting), and PEBS records go to a debug store or in a format perf did not set up",
  toExplorer: (cell) => {
    const { intelCtrl, pebsBaseline } = cell.env.pmu;
    return always(
      "host-perf-msrs-fresh",
      (w) =>
        !(cell.machine.isIrqsOn(w) && w.kvm.roundTrips > 0 && w.perf.enabled === 1) ||
        stalePerfMsrs(w, intelCtrl, pebsBaseline).length === 0,
    );
  },
};
