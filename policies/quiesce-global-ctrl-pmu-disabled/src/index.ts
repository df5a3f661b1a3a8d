import { MSR_CORE_PERF_GLOBAL_CTRL, wrmsr } from "@switchlab/hardware";
import { RUN_LOOP, STEP } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";

/**
 * Peter Zijlstra's suggestion in the 2026 thread (quoted in the v3 cover letter: "KVM needs to
 * zero PERF_GLOBAL_CTRL before invoking perf_guest_get_msrs(), as that's the only way to
 * guarantee stable output"), in the variant that also tells perf the PMU is off: cpuc->enabled = 0
 * with GLOBAL_CTRL = 0 before the snapshot, so a PMI handled in the window neither turns the
 * counters back on (intel_pmu_handle_irq re-enables only if cpuc->enabled was set) nor writes
 * PEBS_ENABLE on a throttle (intel_pmu_pebs_disable writes the MSR only if cpuc->enabled). After
 * the VM-exit, before IRQs are enabled, perf's PMU is enabled again the way x86_pmu_enable ends:
 * cpuc->enabled = 1 and intel_pmu_enable_all (PEBS_ENABLE = cpuc->pebs_enabled, GLOBAL_CTRL =
 * intel_ctrl & ~intel_ctrl_guest_mask), which rewrites whatever the VM-exit list restored.
 */
export default definePolicy<World, ModelEnv>({
  id: "quiesce-global-ctrl-pmu-disabled",
  title:
    "KVM zeroes GLOBAL_CTRL with cpuc->enabled = 0 before perf_guest_get_msrs, and re-enables perf's PMU after the exit",
  summary:
    "cpuc->enabled = 0 and WRMSR(GLOBAL_CTRL, 0) at the top of atomic_switch_perf_msrs; after the VM-exit, before local_irq_enable, cpuc->enabled = 1 and intel_pmu_enable_all.",
  upstream: {
    cite: "Peter Zijlstra's suggestion, quoted in [PATCH v3 0/9] perf/x86: Don't write PEBS_ENABLED on KVM transitions (Sean Christopherson, 2026-05-08): zero PERF_GLOBAL_CTRL before perf_guest_get_msrs(); the cpuc->enabled = 0 variant",
    url: "https://lore.kernel.org/all/20260508231353.406465-1-seanjc@google.com/",
  },
  touches: ["atomic_switch_perf_msrs", "vcpu_enter_guest"],
  patch: (ed) => {
    ed.insertBefore(RUN_LOOP, STEP.getMsrs, {
      id: "atomic_switch_perf_msrs:perf-pmu-off",
      fn: "atomic_switch_perf_msrs",
      file: "arch/x86/kvm/vmx/vmx.c",
      version: "patch on v5.11 to v7.3",
      // A store and one WRMSR (an estimate from the patch's C).
      insns: 10,
      run: (w, env) => {
        // After atomic_switch_perf_msrs' early return for a mediated vCPU (7.1.5 vmx.c l.7337).
        if (env.kvm.mediated) return undefined;
        w.perf.enabled = 0;
        wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_CTRL, 0, env.obs);
        env.obs.call("atomic_switch_perf_msrs", "cpuc->enabled = 0; GLOBAL_CTRL = 0");
        return undefined;
      },
    });
    ed.insertBefore(RUN_LOOP, STEP.irqEnable, {
      id: "vcpu_enter_guest:perf-pmu-on",
      fn: "vcpu_enter_guest",
      file: "arch/x86/kvm/x86.c",
      version: "patch on v5.11 to v7.3",
      // cpuc->enabled = 1 and intel_pmu_enable_all: two WRMSRs (an estimate from the C).
      insns: 40,
      run: (w, env) => {
        if (!w.perf.enabled) {
          w.perf.enabled = 1;
          env.k.intel.intelPmuEnableAll(w, env);
          env.obs.call("vcpu_enter_guest", "cpuc->enabled = 1; intel_pmu_enable_all");
        }
        return undefined;
      },
    });
  },
});
