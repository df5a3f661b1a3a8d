import {
  evtselValue,
  lowMask,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_PERFCTR0,
  MSR_P6_EVNTSEL0,
  OWNER_GUEST,
  OWNER_HOST,
  PMC_PERIOD,
  rdmsr,
  wrmsr,
} from "@switchlab/hardware";
import { injectable } from "tsyringe";
import type { KvmEnv } from "./env.js";
import type { KvmWorld } from "./kvm-state.js";

/**
 * arch/x86/kvm/pmu.c (7.1.5, the model's v7.3; merged in 7.0): the mediated vPMU's common half,
 * run by vcpu_enter_guest with IRQs off around its fastpath loop (kvm_mediated_pmu_load at x86.c
 * l.11437, kvm_mediated_pmu_put at l.11477). The guest's counters are GP counters only (fixed
 * counters are not modelled).
 */
@injectable()
export class KvmPmu {
  /**
   * kvm_mediated_pmu_load (l.1327-1357), after perf_load_guest_context: `wrmsrq(PERF_GLOBAL_CTRL,
   * 0)` (l.1350), because perf_ctx_enable re-enabled the PMU ("doesn't globally disable the entire
   * PMU", l.1337-1349).
   */
  kvmMediatedPmuLoadQuiesce(w: KvmWorld, env: KvmEnv): void {
    wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_CTRL, 0, env.obs);
  }

  /** The guest's IA32_PERFEVTSELk for counter k (pmc->eventsel_hw): EN and INT on its counters, else 0. */
  guestEventsel(env: KvmEnv, k: number): number {
    const on = ((env.kvm.mediated?.counters ?? 0) >>> k) & 1;
    return evtselValue(on === 1, on === 1);
  }

  /**
   * kvm_pmu_load_guest_pmcs (l.1301-1325): for each of the guest's GP counters, `if (pmc->counter
   * != rdpmc(i)) wrmsrl(counter, pmc->counter)`, then `wrmsrl(eventsel, pmc->eventsel_hw)`
   * (always). The guest is given every GP counter (nr_arch_gp_counters = the host's): from here
   * each holds the guest's values.
   */
  kvmPmuLoadGuestPmcs(w: KvmWorld, env: KvmEnv): void {
    for (let k = 0; k < env.hw.numGp; k++) {
      const want = (w.kvm.pmuCountersArmed >>> k) & 1 ? PMC_PERIOD : 0;
      if (rdmsr(w.hw, MSR_IA32_PERFCTR0 + k) !== want) wrmsr(w.hw, MSR_IA32_PERFCTR0 + k, want, env.obs);
      wrmsr(w.hw, MSR_P6_EVNTSEL0 + k, this.guestEventsel(env, k), env.obs);
    }
    w.hw.evtselGuest = lowMask(env.hw.numGp);
    env.obs.call("kvm_pmu_load_guest_pmcs", "guest counters and event selectors loaded");
  }

  /**
   * kvm_pmu_put_guest_pmcs (l.1359-1386): per GP counter `pmc->counter = rdpmc(i)`, zero a
   * non-zero counter, zero a non-zero eventsel_hw's selector. The PMU holds no guest value after.
   */
  kvmPmuPutGuestPmcs(w: KvmWorld, env: KvmEnv): void {
    let armed = 0;
    for (let k = 0; k < env.hw.numGp; k++) {
      if (rdmsr(w.hw, MSR_IA32_PERFCTR0 + k) !== 0) {
        armed |= 1 << k;
        wrmsr(w.hw, MSR_IA32_PERFCTR0 + k, 0, env.obs);
      }
      if (this.guestEventsel(env, k) !== 0) wrmsr(w.hw, MSR_P6_EVNTSEL0 + k, 0, env.obs);
    }
    w.kvm.pmuCountersArmed = armed;
    w.hw.evtselGuest = 0;
    env.obs.call("kvm_pmu_put_guest_pmcs", "guest counters saved, counters and selectors zeroed");
  }

  /**
   * kvm_handle_guest_mediated_pmi (l.163-171), from sysvec_perf_guest_mediated_pmi_handler for
   * vector 0xf5: `WARN_ON_ONCE(!vcpu || !kvm_vcpu_has_mediated_pmu(vcpu))`, then
   * kvm_make_request(KVM_REQ_PMI): the guest gets a PMI at the next entry. `owners` says whose
   * counter raised it (the model's bookkeeping): a host counter's PMI goes to the guest all the same.
   */
  kvmHandleGuestMediatedPmi(w: KvmWorld, env: KvmEnv, owners: number): void {
    if (!w.kvm.loaded) env.obs.printk("WARNING: kvm_handle_guest_mediated_pmi: no running vCPU");
    if (w.kvm.pmiRequests < 3) w.kvm.pmiRequests++;
    if (owners & OWNER_HOST) w.kvm.hostPmiToGuest = 1;
    env.obs.call(
      "kvm_handle_guest_mediated_pmi",
      `KVM_REQ_PMI (the PMI came from a ${owners & OWNER_GUEST ? "guest" : ""}${owners === (OWNER_GUEST | OWNER_HOST) ? " and a " : ""}${owners & OWNER_HOST ? "host" : ""} counter)`,
    );
  }
}
