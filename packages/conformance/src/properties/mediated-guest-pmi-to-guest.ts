import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedGuestPmiToGuest: ConformanceProperty = {
  id: "mediated-guest-pmi-to-guest",
  title: "mediated vPMU: no PMI a guest counter raised is delivered to the host as an NMI",
  short: "m-gpmi",
  symptom: "Uhhuh. NMI received for unknown reason (the host's handler finds nothing), and the guest's PMI is lost",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "only a PMI on vector 0xf5 reaches kvm_handle_guest_mediated_pmi (arch/x86/kvm/pmu.c), which requests KVM_REQ_PMI for the guest; delivered as an NMI, perf_event_nmi_handler finds no host overflow, unknown_nmi_error fires, and the guest never gets its PMI (its sampling stalls)",
  toExplorer: () => always("mediated-guest-pmi-to-guest", (w) => w.hw.guestPmiAsNmi === 0),
};
