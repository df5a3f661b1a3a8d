import { MSR_IA32_PERFCTR0, PMC_PERIOD, writeLvtpc, wrmsr } from "@switchlab/hardware";
import { injectable } from "tsyringe";
import type { PerfEnv, PerfWorld } from "./env.js";

/**
 * arch/x86/events/core.c (v5.11; v6.16 the same for what is modelled): starting and stopping
 * events on counters, the PMU enable/disable pair, adding and deleting events, and the NMI
 * handler perf registers.
 */
@injectable()
export class X86Core {
  /**
   * x86_pmu_stop (v5.11, v6.16): only `if (test_bit(hwc->idx, cpuc->active_mask))`: disable the
   * event (intel_pmu_disable_event), clear the active bit, cpuc->events[idx] = NULL, mark it
   * PERF_HES_STOPPED. On an event already stopped (a throttled one) it does nothing at all.
   */
  x86PmuStop(w: PerfWorld, env: PerfEnv, e: number): void {
    const idx = w.perf.evIdx[e] as number;
    if (idx < 0 || !(w.perf.activeMask & (1 << idx))) {
      env.obs.call("x86_pmu_stop", () => `${this.name(env, e)}: not active, nothing to do`);
      return;
    }
    env.obs.call("x86_pmu_stop", () => `${this.name(env, e)} on counter ${idx}`);
    env.k.intel.intelPmuDisableEvent(w, env, e);
    w.perf.activeMask &= ~(1 << idx);
    w.perf.events[idx] = 0;
    w.perf.evStopped |= 1 << e;
  }

  /**
   * x86_perf_event_set_period (arch/x86/events/core.c, v5.11 to 7.1.5): `wrmsrl(hwc->event_base,
   * (u64)(-left) & x86_pmu.cntval_mask)`, so the counter overflows after `left` more events. The
   * value is abstracted (PMC_PERIOD); what matters is that the counter can overflow again.
   */
  x86PerfEventSetPeriod(w: PerfWorld, env: PerfEnv, e: number): void {
    const idx = w.perf.evIdx[e] as number;
    if (idx >= 0) wrmsr(w.hw, MSR_IA32_PERFCTR0 + idx, PMC_PERIOD, env.obs);
  }

  /**
   * x86_pmu_start (v5.11, v6.16): requires PERF_HES_STOPPED; with PERF_EF_RELOAD writes the
   * period (x86_perf_event_set_period); clears the state, sets cpuc->events[idx] and the active
   * bit, then intel_pmu_enable_event.
   */
  x86PmuStart(w: PerfWorld, env: PerfEnv, e: number, reload = false): void {
    const idx = w.perf.evIdx[e] as number;
    if (!(w.perf.evStopped & (1 << e)) || idx < 0) return; // WARN_ON_ONCE in the kernel
    env.obs.call("x86_pmu_start", () => `${this.name(env, e)} on counter ${idx}${reload ? " (PERF_EF_RELOAD)" : ""}`);
    if (reload) this.x86PerfEventSetPeriod(w, env, e);
    w.perf.evStopped &= ~(1 << e);
    w.perf.events[idx] = e + 1;
    w.perf.activeMask |= 1 << idx;
    env.k.intel.intelPmuEnableEvent(w, env, e);
  }

  /** x86_pmu_disable (pmu::pmu_disable): `if (!cpuc->enabled) return;` enabled = 0, x86_pmu.disable_all. */
  x86PmuDisable(w: PerfWorld, env: PerfEnv): void {
    if (!w.perf.enabled) return;
    w.perf.enabled = 0;
    env.k.intel.intelPmuDisableAll(w, env);
  }

  /**
   * x86_pmu_enable (pmu::pmu_enable): `if (cpuc->enabled) return;` start the events added since
   * (cpuc->n_added: x86_assign_hw_event + x86_pmu_start(event, PERF_EF_RELOAD)), enabled = 1,
   * x86_pmu.enable_all.
   */
  x86PmuEnable(w: PerfWorld, env: PerfEnv): void {
    if (w.perf.enabled) return;
    for (let e = 0, m = w.perf.evAdded; m >>> e !== 0; e++) if ((m >>> e) & 1) this.x86PmuStart(w, env, e, true);
    w.perf.evAdded = 0;
    w.perf.enabled = 1;
    env.k.intel.intelPmuEnableAll(w, env);
  }

  /**
   * x86_pmu_add (pmu::add, v5.11): the event joins cpuc's list with PERF_HES_STOPPED and is
   * counted in n_added; x86_pmu_enable assigns it (the scenario names the counter
   * x86_schedule_events would pick) and starts it.
   */
  x86PmuAdd(w: PerfWorld, env: PerfEnv, e: number, counter: number): void {
    w.perf.evIdx[e] = counter;
    w.perf.evStopped |= 1 << e;
    w.perf.evInterrupts[e] = 0;
    w.perf.evAdded |= 1 << e;
    env.obs.call("x86_pmu_add", () => `${this.name(env, e)} scheduled on counter ${counter}`);
  }

  /**
   * x86_pmu_del (pmu::del, v5.11): x86_pmu_stop(event, PERF_EF_UPDATE), which does nothing for
   * a stopped (throttled) event, then the event leaves cpuc's list (intel_pmu_pebs_del only
   * updates the large-PEBS threshold, not modelled).
   */
  x86PmuDel(w: PerfWorld, env: PerfEnv, e: number): void {
    this.x86PmuStop(w, env, e);
    env.obs.call("x86_pmu_del", () => `${this.name(env, e)} leaves counter ${w.perf.evIdx[e]}`);
    w.perf.evIdx[e] = -1;
    w.perf.evAdded &= ~(1 << e);
  }

  /**
   * perf_event_nmi_handler: returns x86_pmu.handle_irq's handled count (intel_pmu_handle_irq).
   * 7.1.5 (l.1806): `if (this_cpu_read(guest_lvtpc_loaded)) return NMI_DONE;` first, as "an NMI
   * at this time can't be due to a PMI" (set only around a mediated vCPU's run).
   */
  perfEventNmiHandler(w: PerfWorld, env: PerfEnv): number {
    if (w.perf.guestLvtpcLoaded) {
      env.obs.call("perf_event_nmi_handler", "guest_lvtpc_loaded: NMI_DONE");
      return 0;
    }
    return env.k.intel.intelPmuHandleIrq(w, env);
  }

  /**
   * perf_load_guest_lvtpc (7.1.5 l.1773-1780), its first half: `apic_write(APIC_LVTPC,
   * APIC_DM_FIXED | PERF_GUEST_MEDIATED_PMI_VECTOR | masked)`, masked being the guest's LVTPC
   * mask bit. From here a PMI is delivered as vector 0xf5, not as an NMI.
   */
  perfLoadGuestLvtpcWrite(w: PerfWorld, env: PerfEnv, guestMasked: boolean): void {
    writeLvtpc(w.hw, true, guestMasked, env.obs);
  }

  /** perf_load_guest_lvtpc, second half (l.1779): `this_cpu_write(guest_lvtpc_loaded, true)`. */
  perfLoadGuestLvtpcFlag(w: PerfWorld, env: PerfEnv): void {
    w.perf.guestLvtpcLoaded = 1;
    env.obs.call("perf_load_guest_lvtpc", "guest_lvtpc_loaded = true");
  }

  /** perf_put_guest_lvtpc (l.1783-1787), first half: `this_cpu_write(guest_lvtpc_loaded, false)`. */
  perfPutGuestLvtpcFlag(w: PerfWorld, env: PerfEnv): void {
    w.perf.guestLvtpcLoaded = 0;
    env.obs.call("perf_put_guest_lvtpc", "guest_lvtpc_loaded = false");
  }

  /** perf_put_guest_lvtpc, second half: `apic_write(APIC_LVTPC, APIC_DM_NMI)` (unmasked). */
  perfPutGuestLvtpcWrite(w: PerfWorld, env: PerfEnv): void {
    writeLvtpc(w.hw, false, false, env.obs);
  }

  private name(env: PerfEnv, e: number): string {
    return env.perf.events[e]?.name ?? `event ${e}`;
  }
}
