import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedHostPmiToHost: ConformanceProperty = {
  id: "mediated-host-pmi-to-host",
  title:
    "mediated vPMU: no host counter's PMI reaches the guest's vector 0xf5, and no host overflow is still pending when KVM loads the guest's GLOBAL_STATUS",
  short: "m-hpmi",
  symptom: "a host sample lost (its PMI injected into the guest, or its overflow bit overwritten)",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "kvm_handle_guest_mediated_pmi (arch/x86/kvm/pmu.c) hands every vector-0xf5 PMI to the guest and intel_mediated_pmu_load (arch/x86/kvm/vmx/pmu_intel.c) clears GLOBAL_STATUS bits the guest lacks, so a host overflow caught there never reaches intel_pmu_handle_irq: the host sample is lost and the guest gets a PMI it did not cause",
  toExplorer: () =>
    always("mediated-host-pmi-to-host", (w) => w.kvm.hostPmiToGuest === 0 && w.kvm.hostOverflowLost === 0),
};
