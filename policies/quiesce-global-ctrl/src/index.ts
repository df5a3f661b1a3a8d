import { MSR_CORE_PERF_GLOBAL_CTRL, wrmsr } from "@switchlab/hardware";
import { RUN_LOOP, STEP } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";

/**
 * KVM writes GLOBAL_CTRL = 0 before perf_guest_get_msrs, so no counter can overflow between the
 * snapshot and VM-entry (which loads the guest's GLOBAL_CTRL; VM-exit loads the host's). A PMI
 * already raised can still arrive, and the PMI handler's __intel_pmu_enable_all turns GLOBAL_CTRL
 * back on when cpuc->enabled is set.
 */
export default definePolicy<World, ModelEnv>({
  id: "quiesce-global-ctrl",
  title: "KVM zeroes GLOBAL_CTRL before perf_guest_get_msrs",
  summary:
    "A WRMSR of 0 to IA32_PERF_GLOBAL_CTRL at the top of atomic_switch_perf_msrs quiesces the counters until VM-entry.",
  upstream: {
    cite: "Suggested on the list in 2026 in the thread on 'perf/x86: Don't write PEBS_ENABLED on KVM transitions'",
    url: "https://lore.kernel.org/all/20260508231353.406465-1-seanjc@google.com/",
  },
  touches: ["atomic_switch_perf_msrs"],
  patch: (ed) => {
    ed.insertBefore(RUN_LOOP, STEP.getMsrs, {
      id: "atomic_switch_perf_msrs:wrmsr-global-ctrl-0",
      fn: "atomic_switch_perf_msrs",
      file: "arch/x86/kvm/vmx/vmx.c",
      version: "patch on v5.11",
      // One WRMSR (an estimate from the patch's C).
      insns: 8,
      run: (w, env) => {
        // After atomic_switch_perf_msrs' early return for a mediated vCPU (7.1.5 vmx.c l.7337).
        if (env.kvm.mediated) return undefined;
        wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_CTRL, 0, env.obs);
        return undefined;
      },
    });
  },
});
