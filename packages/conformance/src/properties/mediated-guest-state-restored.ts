import { lowMask } from "@switchlab/hardware";
import { mediatedPmuOf } from "@switchlab/model";
import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedGuestStateRestored: ConformanceProperty = {
  id: "mediated-guest-state-restored",
  title:
    "mediated vPMU: pmu->global_ctrl stays the guest's GLOBAL_CTRL across every exit, and in VMX non-root GLOBAL_CTRL and every selector are the guest's",
  short: "m-state",
  symptom: "the guest's GLOBAL_CTRL or event selectors are not what the guest programmed after a VM-exit and re-entry",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "the VM-exit saves GLOBAL_CTRL into pmu->global_ctrl and kvm_pmu_load_guest_pmcs (arch/x86/kvm/pmu.c) reloads the selectors from pmu state at the next entry, so a wrong value there silently stops or starts the guest's counters behind its back: guest perf loses counts or counts what it disabled",
  toExplorer: (cell) => {
    const want = mediatedPmuOf(cell.scenario)?.counters ?? 0;
    const all = lowMask(cell.env.hw.numGp);
    return always(
      "mediated-guest-state-restored",
      (w) =>
        w.kvm.pmuGlobalCtrl === want &&
        (w.hw.mode === 0 ||
          (w.hw.globalCtrl === want && (w.hw.evtselEn & all) === want && (w.hw.evtselGuest & all) === all)),
    );
  },
};
