import { RUN_LOOP, STEP } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";

/**
 * Commit 041bc42ce2d0 ("KVM: VMX: Micro-optimize vmexit time when not exposing PMU", v5.7):
 * `if (vcpu_to_pmu(vcpu)->version) atomic_switch_perf_msrs(vmx);`. Reverted by 49097762fa40
 * because guests crashed at host DS + 0x38 while the host ran `perf top`: without the switch,
 * host PEBS stays enabled in the guest. Kept as a negative control.
 */
export default definePolicy<World, ModelEnv>({
  id: "vpmu-only",
  title: "Skip atomic_switch_perf_msrs for vCPUs without a virtual PMU (2020, reverted)",
  summary: "vmx_vcpu_run calls atomic_switch_perf_msrs only if vcpu_to_pmu(vcpu)->version; a negative control.",
  upstream: {
    cite: 'Revert "KVM: VMX: Micro-optimize vmexit time when not exposing PMU" (Vitaly Kuznetsov, June 2020)',
    url: "https://lore.kernel.org/kvm/20200619094046.654019-1-vkuznets@redhat.com/",
  },
  touches: ["vmx_vcpu_run"],
  patch: (ed) => {
    ed.insertBefore(RUN_LOOP, STEP.getMsrs, {
      id: "vmx_vcpu_run:if-vcpu-has-pmu",
      fn: "vmx_vcpu_run",
      file: "arch/x86/kvm/vmx/vmx.c",
      version: "v5.7 (041bc42ce2d0)",
      // `if (vcpu_to_pmu(vcpu)->version)`: a load, a test, a branch.
      insns: 4,
      run: (_w, env) => (env.kvm.vcpuHasPmu ? undefined : STEP.afterSwitch),
    });
  },
});
