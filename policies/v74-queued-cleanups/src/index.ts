import { DS_HOST, MSR_IA32_DS_AREA, MSR_PEBS_DATA_CFG } from "@switchlab/hardware";
import type { ModelEnv, World } from "@switchlab/model";
import {
  type GuestSwitchMsr,
  INTEL_CORE,
  IntelCore,
  type KvmPmuPebs,
  kernelAtLeast,
  type PerfEnv,
  type PerfWorld,
} from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";

/**
 * intel_guest_get_msrs with the KVM/perf cleanups of the 2026 series that tip perf/core queued for
 * 7.4 (push of 2026-09-25), on top of v7.3's function:
 * - ba29babd881e "Check only PMC bits in PEBS_ENABLED when detecting host PEBS usage": the
 *   host-uses-PEBS test that zeroes the guest's PEBS looks at `pebs_enabled & intel_ctrl` only
 *   (not PEBS_PMI_AFTER_EACH_RECORD, PEBS_OUTPUT_PT or the load-latency bits);
 * - 31f7cf337ce7 "Handle cross-mapped PEBS PMCs entirely within KVM" and a634e4536ec2 "Have perf
 *   define a dedicated struct for getting guest PEBS data": KVM hands perf a guest PEBS mask with
 *   the cross-mapped counters already removed, so perf no longer reads host_cross_mapped_mask;
 * - 193ef44e3261 "Only tell perf to enable PEBS counters for fully enabled PMCs" and 57c764783330
 *   "Drop a redundant pmu->global_ctrl check": the mask KVM hands over holds only PMCs the guest
 *   enabled (the model's guest PEBS state is already such a mask);
 * - b7b84fff2bd6 "Invert names of intel_ctrl_{guest,host}_mask": a rename, nothing to model.
 * Modelled from the titles and the v3 cover letter (the diffs were not readable).
 */
@injectable()
export class IntelCoreV74 extends IntelCore {
  override perfGuestGetMsrs(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    if (!kernelAtLeast(env.perf.kernel, "v7.3") || env.pmu.pebsNoIsolation || !env.pmu.pebs || !kvmPmu)
      return super.perfGuestGetMsrs(w, env, kvmPmu);
    // KVM's side (31f7cf337ce7, 193ef44e3261): the guest PEBS counters it hands over.
    const guestPebs = kvmPmu.pebsEnable & ~kvmPmu.hostCrossMappedMask;
    const arr = super
      .perfGuestGetMsrs(w, env, { ...kvmPmu, pebsEnable: 0 })
      .filter((e) => e.msr !== MSR_IA32_DS_AREA && e.msr !== MSR_PEBS_DATA_CFG);
    if (!env.pmu.pebsEpt || !guestPebs) return arr;
    const p = w.perf;
    arr.push({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: kvmPmu.dsArea });
    if (env.pmu.pebsBaseline)
      arr.push({ msr: MSR_PEBS_DATA_CFG, host: p.activePebsDataCfg, guest: kvmPmu.pebsDataCfg });
    const globalCtrl = arr[0] as { guest: number };
    const pebsMask = env.pmu.pebsAll ? p.pebsEnabled : p.pebsEnabled & env.pmu.pebsCounterMask;
    // ba29babd881e: host PEBS usage is judged on the PMC bits of PEBS_ENABLE only.
    if (!(p.pebsEnabled & ~p.guestMask & env.pmu.intelCtrl))
      globalCtrl.guest |= pebsMask & ~p.hostMask & guestPebs & env.pmu.intelCtrl;
    return arr;
  }
}

export default definePolicy<World, ModelEnv>({
  id: "v74-queued-cleanups",
  title: "v7.3 plus the KVM/perf PEBS cleanups queued in tip perf/core for 7.4",
  summary:
    "intel_guest_get_msrs judges host PEBS use on PMC bits only, and KVM (not perf) removes cross-mapped and not-fully-enabled PMCs from the guest PEBS mask it hands over; v5.11 and v6.16 unchanged.",
  upstream: {
    cite: "[PATCH v3 0/9] perf/x86: Don't write PEBS_ENABLED on KVM transitions (Sean Christopherson, 2026-05-08), patches queued in tip perf/core on 2026-09-25 (ba29babd881e, 31f7cf337ce7, 193ef44e3261, 57c764783330, a634e4536ec2, b7b84fff2bd6)",
    url: "https://lore.kernel.org/all/20260508231353.406465-1-seanjc@google.com/",
  },
  touches: ["intel_guest_get_msrs"],
  register: (c) => {
    c.register(INTEL_CORE, { useClass: IntelCoreV74 });
  },
});
