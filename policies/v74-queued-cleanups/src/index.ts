import {
  DS_HOST,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_PEBS_DATA_CFG,
} from "@switchlab/hardware";
import type { ModelEnv, World } from "@switchlab/model";
import {
  type GuestSwitchMsr,
  INTEL_CORE,
  IntelCore,
  type KvmPmuPebs,
  kernelHas,
  type PerfEnv,
  type PerfWorld,
} from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";

/** The queue commit this policy follows, in kernelorg-mirror/linux_kernel_git_peterz_queue. */
export const QUEUE_COMMIT = "bd160d6e91f12421520fcd3dbb5bbf8c98817d41";

/**
 * struct x86_guest_pebs (queue 46139118 on): what KVM hands perf_guest_get_msrs instead of its
 * kvm_pmu. At 46139118 it also carried cross_mapped_mask (read at core.c +68 there:
 * `guest_pebs_mask &= ~guest_pebs->cross_mapped_mask`); from 258bc40c perf no longer reads it.
 */
export interface X86GuestPebs {
  readonly enable: number;
  readonly dsArea: number;
  readonly dataCfg: number;
}

/**
 * How KVM fills x86_guest_pebs at bd160d6e: NOT STORED. The store holds the queue's
 * arch/x86/events/intel/core.c only; arch/x86/kvm/vmx/{vmx,pmu_intel}.c at 258bc40c ("KVM: Handle
 * cross-mapped PEBS PMCs entirely within KVM"), bdb63867 ("KVM: VMX: Drop a redundant
 * pmu->global_ctrl check when processing pebs_enable") and ecb64178 ("KVM: VMX: Only tell perf
 * to enable PEBS counters for fully enabled PMCs") are not. Modelled from those titles: `enable`
 * is kvm_pmu->pebs_enable without the counters perf runs cross-mapped for the guest (perf stopped
 * removing them at 258bc40c, so KVM must), and only for PMCs the guest fully enabled, which the
 * model's kvm_pmu->pebs_enable already is (a scenario's guest PEBS mask is of enabled PMCs). The
 * nearest stored KVM code is an earlier posting of 46139118 ("[PATCH] perf/x86: KVM: Have perf
 * define a dedicated struct for getting guest PEBS data", Sean Christopherson, 2025-06-02, in the
 * kvm list archive), whose atomic_switch_perf_msrs fills `.enable = pmu->pebs_enable` and a
 * separate `.cross_mapped_mask = intel_pmu_get_cross_mapped_mask(pmu)`.
 */
export function kvmGuestPebs(kvmPmu: KvmPmuPebs): X86GuestPebs {
  return {
    enable: kvmPmu.pebsEnable & ~kvmPmu.hostCrossMappedMask,
    dsArea: kvmPmu.dsArea,
    dataCfg: kvmPmu.pebsDataCfg,
  };
}

/**
 * intel_guest_get_msrs as the 7.4 queue has it: read in kernelorg-mirror/linux_kernel_git_peterz_queue,
 * arch/x86/events/intel/core.c at bd160d6e91f12421520fcd3dbb5bbf8c98817d41 (the queue's perf/core
 * head, push of 2026-09-22), the last of 1a861b9e "Invert names of intel_ctrl_{guest,host}_mask",
 * 46139118 "KVM: Have perf define a dedicated struct for getting guest PEBS data", 258bc40c "KVM:
 * Handle cross-mapped PEBS PMCs entirely within KVM", bdb63867 and ecb64178 (KVM only) and
 * bd160d6e "Check only PMC bits in PEBS_ENABLED when detecting host PEBS usage". `+N` is the line's
 * offset from the signature line `static struct perf_guest_switch_msr *intel_guest_get_msrs(int *nr,`
 * (the store gives the file in character pages, not lines, so absolute line numbers could not be
 * had). The masks' new names: intel_ctrl_exclude_host_mask is the model's guestMask (the old
 * intel_ctrl_guest_mask), intel_ctrl_exclude_guest_mask its hostMask (1a861b9e). One `if` per
 * branch, in the function's order. The queue's base is 22ff4b9b (the model's v7.3), so it applies
 * where the kernel has 87524d58/22ff4b9b; elsewhere the version's own function runs.
 */
export function intelGuestGetMsrsQueue(w: PerfWorld, env: PerfEnv, guestPebs: X86GuestPebs): GuestSwitchMsr[] {
  const p = w.perf;
  // +5: intel_ctrl = hybrid(cpuc->pmu, intel_ctrl);
  const intelCtrl = env.pmu.intelCtrl;
  // +6 (bd160d6e): pebs_mask = intel_ctrl & cpuc->pebs_enabled & x86_pmu.pebs_capable: only PMC
  // bits, so the host-PEBS test at +68 ignores PEBS_ENABLE's non-counter bits. (258bc40c, +6:
  // `cpuc->pebs_enabled & x86_pmu.pebs_capable`, with `& intel_ctrl` at +58 instead.)
  const pebsMask = intelCtrl & (env.pmu.pebsAll ? p.pebsEnabled : p.pebsEnabled & env.pmu.pebsCounterMask);
  // +19..+23: GLOBAL_CTRL {host: intel_ctrl & ~intel_ctrl_exclude_host_mask, guest: intel_ctrl &
  // ~intel_ctrl_exclude_guest_mask & ~pebs_mask}.
  const globalCtrl = {
    msr: MSR_CORE_PERF_GLOBAL_CTRL,
    host: intelCtrl & ~p.guestMask,
    guest: intelCtrl & ~p.hostMask & ~pebsMask,
  };
  const arr: GuestSwitchMsr[] = [globalCtrl];
  // +25/+26: `if (!x86_pmu.ds_pebs) return arr;`
  if (!env.pmu.pebs) return arr;
  // +36..+43: `if (x86_pmu.pebs_no_isolation)` PEBS_ENABLE {host: cpuc->pebs_enabled, guest: 0},
  // return: without isolation the queue leaves the 2021 race as it is.
  if (env.pmu.pebsNoIsolation) {
    arr.push({ msr: MSR_IA32_PEBS_ENABLE, host: p.pebsEnabled, guest: 0 });
    return arr;
  }
  // +50/+51: `if (!x86_pmu.pebs_ept) return arr;` (no `!guest_pebs` test: mandatory since 22ff4b9b).
  if (!env.pmu.pebsEpt) return arr;
  // +58..+60: guest_pebs_mask = pebs_mask & guest_pebs->enable & ~intel_ctrl_exclude_guest_mask &
  // intel_ctrl_exclude_host_mask. No host_cross_mapped_mask any more (258bc40c): KVM's `enable`.
  let guestPebsMask = pebsMask & guestPebs.enable & ~p.hostMask & p.guestMask;
  // +68/+69: `if (pebs_mask & ~cpuc->intel_ctrl_exclude_host_mask) guest_pebs_mask = 0;` the host
  // uses PEBS (on a PMC: bd160d6e's pebs_mask).
  if (pebsMask & ~p.guestMask) guestPebsMask = 0;
  // +76..+80: DS_AREA {host: cpuc->ds, guest: guest_pebs_mask ? guest_pebs->ds_area : cpuc->ds}.
  arr.push({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: guestPebsMask ? guestPebs.dsArea : DS_HOST });
  // +82..+89: with baseline PEBS, PEBS_DATA_CFG {host: cpuc->active_pebs_data_cfg, guest:
  // guest_pebs_mask ? guest_pebs->data_cfg : cpuc->active_pebs_data_cfg}.
  if (env.pmu.pebsBaseline) {
    const host = p.activePebsDataCfg;
    arr.push({ msr: MSR_PEBS_DATA_CFG, host, guest: guestPebsMask ? guestPebs.dataCfg : host });
  }
  // +98: arr[global_ctrl].guest |= guest_pebs_mask; no PEBS_ENABLE entry.
  globalCtrl.guest |= guestPebsMask;
  return arr;
}

/** perf_guest_get_msrs with the queue's intel_guest_get_msrs where the kernel is v7.3's. */
@injectable()
export class IntelCoreV74 extends IntelCore {
  override perfGuestGetMsrs(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    if (!kernelHas(env.perf.kernel, "ds-area-only-for-guest-pebs")) return super.perfGuestGetMsrs(w, env, kvmPmu);
    // 22ff4b9b made the argument mandatory; KVM always passes it (cell.ts builds a kvm_pmu from v6.16).
    if (!kvmPmu) throw new Error("intel_guest_get_msrs (7.4 queue): guest_pebs is mandatory");
    return intelGuestGetMsrsQueue(w, env, kvmGuestPebs(kvmPmu));
  }
}

export default definePolicy<World, ModelEnv>({
  id: "v74-queued-cleanups",
  title: "v7.3 plus the KVM/perf PEBS cleanups queued in tip perf/core for 7.4 (queue bd160d6e)",
  summary:
    "intel_guest_get_msrs as read at peterz/queue bd160d6e: host PEBS use judged on PMC bits only, no cross-mapped masking in perf (KVM's x86_guest_pebs.enable, not stored, modelled from titles); v5.11, v6.1.y and v6.16 unchanged.",
  upstream: {
    cite: "kernelorg-mirror/linux_kernel_git_peterz_queue arch/x86/events/intel/core.c at bd160d6e91f12421520fcd3dbb5bbf8c98817d41 (perf/core, 2026-09-22): 1a861b9e, 46139118, 258bc40c, bdb63867, ecb64178, bd160d6e; [PATCH v3 0/9] perf/x86: Don't write PEBS_ENABLED on KVM transitions (Sean Christopherson, 2026-05-08)",
    url: "https://lore.kernel.org/all/20260508231353.406465-1-seanjc@google.com/",
  },
  touches: ["intel_guest_get_msrs"],
  register: (c) => {
    c.register(INTEL_CORE, { useClass: IntelCoreV74 });
  },
});
