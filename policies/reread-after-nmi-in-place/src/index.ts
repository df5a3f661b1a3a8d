import { MSR_IA32_PEBS_ENABLE } from "@switchlab/hardware";
import type { ModelEnv, World } from "@switchlab/model";
import { INTEL_CORE, IntelCore, type PerfEnv, type PerfWorld } from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";

/**
 * The PMI handler, after handling the overflows, rewrites the host value of PEBS_ENABLE in the
 * loaded vCPU's VM-exit MSR-load list in place (a perf -> KVM callback). It can only fix a slot
 * that exists: a PMI between perf_guest_get_msrs and add_atomic_switch_msr's store still lets
 * the store write the stale snapshot afterwards.
 */
@injectable()
export class IntelCoreUpdateExitSlot extends IntelCore {
  override intelPmuHandleIrq(w: PerfWorld, env: PerfEnv): number {
    const handled = super.intelPmuHandleIrq(w, env);
    // perf tells KVM, through the callbacks KVM registered: the loaded vCPU's exit slot, if any.
    if (env.guest?.vcpuLoaded(w))
      env.guest.setExitListValue(w, env, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled & ~w.perf.guestMask);
    return handled;
  }
}

export default definePolicy<World, ModelEnv>({
  id: "reread-after-nmi-in-place",
  title: "The PMI handler updates the VM-exit list slot of PEBS_ENABLE in place",
  summary:
    "While a vCPU is loaded, intel_pmu_handle_irq rewrites the exit-list host value of PEBS_ENABLE from cpuc->pebs_enabled.",
  upstream: {
    cite: "Variant (2) of the reread-after-NMI idea in the 2021 thread 'Trouble with perf_guest_get_msrs() and pebs_no_isolation'",
    url: "https://lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com/",
  },
  touches: ["intel_pmu_handle_irq"],
  register: (c) => {
    c.register(INTEL_CORE, { useClass: IntelCoreUpdateExitSlot });
  },
});
