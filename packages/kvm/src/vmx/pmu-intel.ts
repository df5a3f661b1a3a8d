import {
  lowMask,
  MAX_GP_COUNTERS,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  MSR_CORE_PERF_GLOBAL_STATUS,
  MSR_CORE_PERF_GLOBAL_STATUS_SET,
  rdmsr,
  wrmsr,
} from "@switchlab/hardware";
import { injectable } from "tsyringe";
import type { KvmEnv } from "../env.js";
import type { KvmWorld } from "../kvm-state.js";

/**
 * arch/x86/kvm/vmx/pmu_intel.c (7.1.5, the model's v7.3): the mediated vPMU's Intel half
 * (FIXED_CTR_CTRL is written there too; fixed counters are not modelled).
 */
@injectable()
export class IntelPmu {
  /**
   * intel_mediated_pmu_load (l.791-804): `toggle = pmu->global_status ^ GLOBAL_STATUS`; clear the
   * bits the guest lacks by GLOBAL_OVF_CTRL, set the guest's by GLOBAL_STATUS_SET. A host
   * counter's overflow still in GLOBAL_STATUS (its PMI not yet handled) is cleared here: perf
   * never handles it (kvm.hostOverflowLost, the model's record of that; a bit is the host's
   * unless a counter holding the guest's values set it, hw.statusGuest).
   */
  intelMediatedPmuLoad(w: KvmWorld, env: KvmEnv): void {
    const status = rdmsr(w.hw, MSR_CORE_PERF_GLOBAL_STATUS);
    const toggle = w.kvm.pmuGlobalStatus ^ status;
    // Bits a counter set while it held the guest's values are the guest's (they count host code
    // only if something re-enabled GLOBAL_CTRL early: mediated-guest-counts-only-guest).
    if (status & ~w.hw.statusGuest) w.kvm.hostOverflowLost = 1;
    if (status & toggle) wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_OVF_CTRL, status & toggle, env.obs);
    if (w.kvm.pmuGlobalStatus & toggle) {
      wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_STATUS_SET, w.kvm.pmuGlobalStatus & toggle, env.obs);
      // The bits set here are the guest's (bookkeeping: whose a GLOBAL_STATUS bit is).
      w.hw.statusGuest |= w.kvm.pmuGlobalStatus & toggle & lowMask(MAX_GP_COUNTERS);
    }
    env.obs.call(
      "intel_mediated_pmu_load",
      () => `GLOBAL_STATUS 0x${status.toString(16)} -> guest's 0x${w.kvm.pmuGlobalStatus.toString(16)}`,
    );
  }

  /**
   * intel_mediated_pmu_put (l.806-824): `rdmsrq(GLOBAL_STATUS, pmu->global_status)` and clear it
   * by GLOBAL_OVF_CTRL ("GLOBAL_CTRL is already saved at VM-exit"). A bit no counter holding the
   * guest's values set is a host overflow KVM takes for the guest's: perf never handles it, and
   * the guest is shown it at the next load (kvm.hostOverflowLost, as at load).
   */
  intelMediatedPmuPut(w: KvmWorld, env: KvmEnv): void {
    const status = rdmsr(w.hw, MSR_CORE_PERF_GLOBAL_STATUS);
    if (status & ~w.hw.statusGuest) w.kvm.hostOverflowLost = 1;
    w.kvm.pmuGlobalStatus = status;
    if (status) wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_OVF_CTRL, status, env.obs);
    env.obs.call("intel_mediated_pmu_put", () => `pmu->global_status = 0x${status.toString(16)}`);
  }
}
