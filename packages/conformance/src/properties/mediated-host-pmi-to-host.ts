import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedHostPmiToHost: ConformanceProperty = {
  id: "mediated-host-pmi-to-host",
  title: "mediated vPMU: no host counter's PMI reaches the guest's vector 0xf5",
  short: "m-hpmi",
  symptom: "a host sample lost (its PMI injected into the guest)",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "kvm_handle_guest_mediated_pmi (arch/x86/kvm/pmu.c) hands every vector-0xf5 PMI to the guest, so a host counter's PMI delivered there never reaches intel_pmu_handle_irq: the host sample is lost and the guest gets a PMI it did not cause (whose GLOBAL_STATUS bit is whose: mediated-global-status-owned)",
  toExplorer: () => always("mediated-host-pmi-to-host", (w) => w.kvm.hostPmiToGuest === 0),
};
