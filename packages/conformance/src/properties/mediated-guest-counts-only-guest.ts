import { gpCounting } from "@switchlab/hardware";
import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedGuestCountsOnlyGuest: ConformanceProperty = {
  id: "mediated-guest-counts-only-guest",
  title: "mediated vPMU: no counter holding the guest's selector counts in VMX root (host code)",
  short: "m-guest",
  symptom:
    "the guest's counters count host instructions between kvm_pmu_load_guest_pmcs and VM-entry (or after the exit)",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "kvm_mediated_pmu_load (arch/x86/kvm/pmu.c) writes GLOBAL_CTRL = 0 before kvm_pmu_load_guest_pmcs so the guest's selectors count only once VM-entry loads the guest's GLOBAL_CTRL; counting in VMX root inflates the guest's counts with host work and can raise guest PMIs for host code, leaking host activity to the guest",
  toExplorer: (cell) =>
    always(
      "mediated-guest-counts-only-guest",
      (w) => w.hw.mode === 1 || (gpCounting(w.hw, cell.env.hw) & w.hw.evtselGuest) === 0,
    ),
};
