import { DS_HOST, MSR_IA32_DS_AREA, MSR_IA32_PEBS_ENABLE, MSR_PEBS_DATA_CFG } from "@switchlab/hardware";
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

/**
 * intel_guest_get_msrs after "perf/x86: Don't write PEBS_ENABLED on KVM transitions" (2026):
 * on CPUs with PEBS isolation PEBS_ENABLE is never switched. The host's and the guest's PEBS
 * counters can share the MSR because isolation keeps host records out of the guest and the
 * guest's counters only count in the guest (GLOBAL_CTRL); so no PEBS_ENABLE entry and no
 * immediate WRMSR. DS_AREA and PEBS_DATA_CFG are switched only for a vCPU that uses guest PEBS.
 * Without isolation, the v5.11/v6.16 behaviour is kept. On v7.3 upstream has no PEBS_ENABLE entry
 * either (intelGuestGetMsrsV73), but still hands over DS_AREA and PEBS_DATA_CFG with guest == host
 * (KVM clears them) and switches them on guest_pebs_mask, not on kvm_pmu->pebs_enable: the v7.3
 * rows' verdicts are `original`'s, their state counts are not.
 */
@injectable()
export class IntelCoreIsolationAware extends IntelCore {
  override perfGuestGetMsrs(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    if (env.pmu.pebsNoIsolation || !env.pmu.pebs) return super.perfGuestGetMsrs(w, env, kvmPmu);
    const arr = super
      .perfGuestGetMsrs(w, env, kvmPmu)
      .filter((e) => e.msr !== MSR_IA32_DS_AREA && e.msr !== MSR_PEBS_DATA_CFG && e.msr !== MSR_IA32_PEBS_ENABLE);
    const guestPebs =
      kernelHas(env.perf.kernel, "kvm-pmu-arg") && kvmPmu !== null && env.pmu.pebsEpt && kvmPmu.pebsEnable !== 0;
    if (guestPebs && kvmPmu) {
      arr.push({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: kvmPmu.dsArea });
      if (env.pmu.pebsBaseline)
        arr.push({ msr: MSR_PEBS_DATA_CFG, host: w.perf.activePebsDataCfg, guest: kvmPmu.pebsDataCfg });
    }
    return arr;
  }
}

export default definePolicy<World, ModelEnv>({
  id: "isolation-aware",
  title: "No PEBS_ENABLE switching on CPUs with PEBS isolation (the 2026 series)",
  summary:
    "With isolation, intel_guest_get_msrs emits no PEBS_ENABLE entry (so no immediate WRMSR) and DS_AREA/PEBS_DATA_CFG only for guest-PEBS vCPUs; without isolation, unchanged.",
  upstream: {
    cite: "[PATCH v3 0/9] perf/x86: Don't write PEBS_ENABLED on KVM transitions (Sean Christopherson, May 2026)",
    url: "https://lore.kernel.org/all/20260508231353.406465-1-seanjc@google.com/",
  },
  touches: ["intel_guest_get_msrs"],
  register: (c) => {
    c.register(INTEL_CORE, { useClass: IntelCoreIsolationAware });
  },
});
