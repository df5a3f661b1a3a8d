import { gpCounting } from "@switchlab/hardware";
import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedHostQuietInGuest: ConformanceProperty = {
  id: "mediated-host-quiet-in-guest",
  title: "mediated vPMU: no counter holding a host event's selector counts while the guest runs (VMX non-root)",
  short: "m-host",
  symptom: "a host event counts guest execution (host samples taken against guest code)",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "kvm_mediated_pmu_load (arch/x86/kvm/pmu.c) takes the PMU from perf (perf_load_guest_context) so host events stop at VM-entry; a host selector still counting in the guest gives the host event counts and samples of guest code it excluded, with guest RIPs reported as host ones",
  toExplorer: (cell) =>
    always(
      "mediated-host-quiet-in-guest",
      (w) => w.hw.mode === 0 || (gpCounting(w.hw, cell.env.hw) & ~w.hw.evtselGuest) === 0,
    ),
};
