import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedPmuReturnedClean: ConformanceProperty = {
  id: "mediated-pmu-returned-clean",
  title:
    "mediated vPMU: once IRQs are back on after kvm_mediated_pmu_put, no counter holds a guest value, LVTPC is perf's NMI entry, and no selector is enabled without a host event on it",
  short: "m-clean",
  symptom:
    "host perf takes the PMU back with a guest counter still enabled (it counts host code and may raise PMIs nobody owns)",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "kvm_mediated_pmu_put (arch/x86/kvm/pmu.c) must zero the guest's counters and selectors (kvm_pmu_put_guest_pmcs) and give LVTPC back to perf's NMI (perf_put_guest_lvtpc) when perf_put_guest_context reschedules host events; a guest selector left enabled counts host code, and its overflow is a PMI intel_pmu_handle_irq finds no event for, or one sent to the guest's vector",
  toExplorer: (cell) =>
    always(
      "mediated-pmu-returned-clean",
      (w) =>
        !cell.machine.isIrqsOn(w) ||
        (w.hw.evtselGuest === 0 && w.hw.lvtpcVector === 0 && (w.hw.evtselEn & ~w.perf.activeMask) === 0),
    ),
};
