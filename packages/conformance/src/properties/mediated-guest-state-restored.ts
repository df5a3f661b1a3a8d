import { lowMask } from "@switchlab/hardware";
import { mediatedPmuOf } from "@switchlab/model";
import { always, type ConformanceProperty, MEDIATED_ROWS, mediated } from "../property.js";

export const mediatedGuestStateRestored: ConformanceProperty = {
  id: "mediated-guest-state-restored",
  title:
    "mediated vPMU: in VMX non-root GLOBAL_CTRL, every selector and every counter's period are what the guest programmed, and once an exit is handled pmu->global_ctrl is the guest's GLOBAL_CTRL",
  short: "m-state",
  symptom:
    "the guest's GLOBAL_CTRL, event selectors or counters are not what the guest programmed after a VM-exit and re-entry",
  applies: mediated,
  appliesTo: MEDIATED_ROWS,
  consequence:
    "the guest writes GLOBAL_CTRL and its counters directly (passed through, vmx_recalc_pmu_msr_intercepts in arch/x86/kvm/vmx/vmx.c), so only the VM-exit's save (vmx_refresh_guest_perf_global_control) and kvm_mediated_pmu_put/_load (arch/x86/kvm/pmu.c) keep them; a value missed there silently starts a counter the guest stopped, stops one it started, or loses the period it wrote: guest perf counts what it disabled or loses its samples",
  toExplorer: (cell) => {
    const sel = mediatedPmuOf(cell.scenario)?.counters ?? 0;
    const all = lowMask(cell.env.hw.numGp);
    return always(
      "mediated-guest-state-restored",
      (w) =>
        (!cell.machine.isIrqsOn(w) || w.kvm.pmuGlobalCtrl === w.guest.ctrl) &&
        (w.hw.mode === 0 ||
          (w.hw.globalCtrl === w.guest.ctrl &&
            (w.hw.evtselEn & all) === sel &&
            (w.hw.evtselGuest & all) === all &&
            (w.hw.ctrArmed & all) === w.guest.armed)),
    );
  },
};
