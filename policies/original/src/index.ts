import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";

/**
 * Upstream: perf's intel_guest_get_msrs and KVM's atomic_switch_perf_msrs as in Linux v5.11
 * (and v6.16 for scenarios that run it). The model's defaults are upstream, so this policy
 * changes nothing; it is the baseline every candidate is compared with.
 */
export default definePolicy<World, ModelEnv>({
  id: "original",
  title: "Upstream (v5.11; v6.16 where the scenario runs it)",
  summary: "perf hands KVM a snapshot of cpuc->pebs_enabled; KVM drops PEBS_ENABLE from both lists when host == guest.",
  upstream: {
    cite: "Linux v5.11 arch/x86/events/intel/core.c intel_guest_get_msrs, arch/x86/kvm/vmx/vmx.c atomic_switch_perf_msrs",
    url: "https://lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com/",
  },
  touches: [],
});
