import { hostPebsFresh } from "@switchlab/model";
import { always, type ConformanceProperty } from "../property.js";

export const hostPebsEnableFresh: ConformanceProperty = {
  id: "host-pebs-enable-fresh",
  title:
    "once IRQs are back on after a VM-exit, with the PMU enabled, PEBS_ENABLE equals cpuc->pebs_enabled (host counters)",
  short: "fresh",
  symptom: "PEBS_ENABLE holds a bit perf cleared (or lacks one it set) after the VM-exit",
  worldSymptom: "stale-pebs-enable",
  consequence:
    "the VM-exit restores the host PEBS_ENABLE that intel_guest_get_msrs (arch/x86/events/intel/core.c) snapshotted before entry, so a bit perf has cleared since keeps a counter it no longer owns doing PEBS assists into the host debug store (and into the guest's page tables at the next entry), and a bit it has set since loses the host event's samples",
  toExplorer: (cell) =>
    always(
      "host-pebs-enable-fresh",
      (w) => !(cell.machine.isIrqsOn(w) && w.kvm.roundTrips > 0 && w.perf.enabled === 1) || hostPebsFresh(w),
    ),
};
