import { listFind, MSR_IA32_PEBS_ENABLE, packEntry } from "@switchlab/hardware";
import { STEP } from "@switchlab/kvm";
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
    // A vCPU is loaded on this CPU from vcpu_load until the run stops (vcpu_put).
    const model = env as ModelEnv;
    const loaded = model.seq.runLoop.steps[(w as World).kvm.pc]?.id !== STEP.done;
    const i = listFind(w.hw.exitList, MSR_IA32_PEBS_ENABLE);
    if (loaded && i >= 0) {
      const host = w.perf.pebsEnabled & ~w.perf.guestMask;
      w.hw.exitList.set(i, packEntry(MSR_IA32_PEBS_ENABLE, host));
      env.obs.call("kvm_pmi_update_exit_slot", () => `VM-exit list PEBS_ENABLE = 0x${host.toString(16)}`);
    }
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
