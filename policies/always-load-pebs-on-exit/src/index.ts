import { MSR_IA32_PEBS_ENABLE } from "@switchlab/hardware";
import { type KvmEnv, type KvmWorld, type SwitchEntry, VMX, Vmx } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";

/**
 * atomic_switch_perf_msrs with PEBS_ENABLE kept on both MSR-load lists even when host == guest:
 * every VM-exit reloads the host value of the latest snapshot, so a stale value lives until the
 * next snapshot instead of for as long as perf's value stays 0. The immediate WRMSR of 0 in
 * add_atomic_switch_msr then runs on every entry too.
 */
@injectable()
export class VmxAlwaysLoadPebs extends Vmx {
  override wantsSwitch(w: KvmWorld, env: KvmEnv, e: SwitchEntry): boolean {
    return e.msr === MSR_IA32_PEBS_ENABLE || super.wantsSwitch(w, env, e);
  }
}

export default definePolicy<World, ModelEnv>({
  id: "always-load-pebs-on-exit",
  title: "KVM keeps PEBS_ENABLE on both MSR-load lists even when host == guest",
  summary:
    "atomic_switch_perf_msrs never calls clear_atomic_switch_msr for PEBS_ENABLE, so each VM-exit reloads the latest snapshot.",
  upstream: {
    cite: "Discussed in 'Trouble with perf_guest_get_msrs() and pebs_no_isolation' (Jim Mattson, Feb 2021)",
    url: "https://lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com/",
  },
  touches: ["atomic_switch_perf_msrs"],
  register: (c) => {
    c.register(VMX, { useClass: VmxAlwaysLoadPebs });
  },
});
