import { MSR_IA32_PEBS_ENABLE, wrmsr } from "@switchlab/hardware";
import { RUN_LOOP, STEP } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";

/**
 * Right after VM-exit, perf rewrites PEBS_ENABLE from cpuc->pebs_enabled (its host counters), so
 * whatever the VM-exit list loaded lives only until this WRMSR. One WRMSR per round trip.
 */
export default definePolicy<World, ModelEnv>({
  id: "post-exit-reload",
  title: "perf rewrites PEBS_ENABLE from cpuc->pebs_enabled right after VM-exit",
  summary:
    "A perf hook called by KVM right after the VM-exit writes PEBS_ENABLE = cpuc->pebs_enabled & ~intel_ctrl_guest_mask.",
  upstream: {
    cite: "Proposed in 'Trouble with perf_guest_get_msrs() and pebs_no_isolation' (Feb 2021)",
    url: "https://lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com/",
  },
  touches: ["vmx_vcpu_run"],
  patch: (ed) => {
    ed.insertAfter(RUN_LOOP, STEP.guest, {
      id: "vmx_vcpu_run:perf_reload_pebs_enable",
      fn: "vmx_vcpu_run",
      file: "arch/x86/kvm/vmx/vmx.c",
      version: "patch on v5.11",
      // A call into perf and one WRMSR (an estimate from the patch's C).
      insns: 12,
      run: (w, env) => {
        if (env.pmu.pebs) wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled & ~w.perf.guestMask, env.obs);
        return undefined;
      },
    });
  },
});
