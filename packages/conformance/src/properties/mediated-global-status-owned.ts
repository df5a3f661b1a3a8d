import { lowMask } from "@switchlab/hardware";
import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedGlobalStatusOwned: ConformanceProperty = {
  id: "mediated-global-status-owned",
  title:
    "mediated vPMU: while the guest runs GLOBAL_STATUS holds exactly the guest's unacknowledged overflows; once IRQs are back on it holds no guest bit; no host overflow bit is taken by KVM",
  short: "m-status",
  symptom:
    "the guest's PMI handler finds a host (or stale) overflow bit, or loses its own; the host's intel_pmu_handle_irq handles a guest overflow as a host sample, or a host sample is lost",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "GLOBAL_STATUS is passed through to a mediated guest (vmx_recalc_pmu_msr_intercepts, arch/x86/kvm/vmx/vmx.c) and switched only by intel_mediated_pmu_put/_load (arch/x86/kvm/vmx/pmu_intel.c): a guest bit left in the MSR after put is read by the host's intel_pmu_handle_irq as an overflow of whatever host event now holds that counter (a sample the host never took), a bit missing at load is an overflow the guest's PMI handler never sees (its sampling stalls), and a host bit saved or cleared as the guest's is a host sample lost and shown to the guest",
  toExplorer: (cell) => {
    const gp = lowMask(cell.env.hw.numGp);
    return always(
      "mediated-global-status-owned",
      (w) =>
        w.kvm.hostOverflowLost === 0 &&
        (w.hw.mode === 0 || (w.hw.globalStatus & gp) === w.guest.status) &&
        (!cell.machine.isIrqsOn(w) || (w.hw.globalStatus & w.hw.statusGuest) === 0),
    );
  },
};
