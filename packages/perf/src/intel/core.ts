import {
  ackLvtpc,
  archHex,
  DS_HOST,
  evtselValue,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  MSR_CORE_PERF_GLOBAL_STATUS,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_P6_EVNTSEL0,
  MSR_PEBS_DATA_CFG,
  rdmsr,
  STATUS_BUFFER_OVF,
  wrmsr,
} from "@switchlab/hardware";
import { injectable } from "tsyringe";
import { kernelHas, type PerfEnv, type PerfWorld } from "../env.js";

/** struct perf_guest_switch_msr: one MSR perf wants switched, with its host and guest values. */
export interface GuestSwitchMsr {
  readonly msr: number;
  readonly host: number;
  readonly guest: number;
}

/** What KVM passes to perf_guest_get_msrs in v6.16 (struct kvm_pmu fields perf reads). */
export interface KvmPmuPebs {
  /** kvm_pmu->pebs_enable: the guest's PEBS_ENABLE. */
  readonly pebsEnable: number;
  /** kvm_pmu->ds_area: the guest's DS_AREA (a guest debug store). */
  readonly dsArea: number;
  /** kvm_pmu->pebs_data_cfg. */
  readonly pebsDataCfg: number;
  /** kvm_pmu->host_cross_mapped_mask. */
  readonly hostCrossMappedMask: number;
}

/**
 * arch/x86/events/intel/core.c (v5.11; v6.16 and v7.3 where they differ): the Intel PMU driver's enable
 * and disable paths, the PMI handler, and intel_guest_get_msrs.
 */
@injectable()
export class IntelCore {
  /** __intel_pmu_disable_all (v5.11): GLOBAL_CTRL = 0 (no PEBS_ENABLE access; BTS not modelled). */
  __intelPmuDisableAll(w: PerfWorld, env: PerfEnv): void {
    wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_CTRL, 0, env.obs);
  }

  /** intel_pmu_disable_all: __intel_pmu_disable_all, then intel_pmu_pebs_disable_all. */
  intelPmuDisableAll(w: PerfWorld, env: PerfEnv): void {
    this.__intelPmuDisableAll(w, env);
    env.k.ds.intelPmuPebsDisableAll(w, env);
  }

  /** __intel_pmu_enable_all (v5.11): GLOBAL_CTRL = intel_ctrl & ~cpuc->intel_ctrl_guest_mask. */
  __intelPmuEnableAll(w: PerfWorld, env: PerfEnv): void {
    wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_CTRL, env.pmu.intelCtrl & ~w.perf.guestMask, env.obs);
  }

  /** intel_pmu_enable_all: intel_pmu_pebs_enable_all first, then __intel_pmu_enable_all. */
  intelPmuEnableAll(w: PerfWorld, env: PerfEnv): void {
    env.k.ds.intelPmuPebsEnableAll(w, env);
    this.__intelPmuEnableAll(w, env);
  }

  /** intel_set_masks: exclude_host -> intel_ctrl_guest_mask, exclude_guest -> intel_ctrl_host_mask. */
  intelSetMasks(w: PerfWorld, env: PerfEnv, e: number): void {
    const spec = env.perf.events[e];
    const bit = 1 << (w.perf.evIdx[e] as number);
    if (spec?.excludeHost) w.perf.guestMask |= bit;
    if (spec?.excludeGuest) w.perf.hostMask |= bit;
  }

  /** intel_clear_masks: clears the counter's bit in both masks. */
  intelClearMasks(w: PerfWorld, e: number): void {
    const bit = 1 << (w.perf.evIdx[e] as number);
    w.perf.guestMask &= ~bit;
    w.perf.hostMask &= ~bit;
  }

  /**
   * intel_pmu_disable_event (v5.11, GP counters): intel_clear_masks, x86_pmu_disable_event
   * (EVTSEL written without ENABLE), then, for precise events, intel_pmu_pebs_disable
   * ("called after x86_pmu_disable_event, so we don't trigger the event without PEBS bit set").
   */
  intelPmuDisableEvent(w: PerfWorld, env: PerfEnv, e: number): void {
    const idx = w.perf.evIdx[e] as number;
    this.intelClearMasks(w, e);
    wrmsr(w.hw, MSR_P6_EVNTSEL0 + idx, evtselValue(false, ((w.perf.evConfigInt >>> e) & 1) === 1), env.obs);
    if (env.perf.events[e]?.precise) env.k.ds.intelPmuPebsDisable(w, env, e);
  }

  /**
   * intel_pmu_enable_event (v5.11, GP counters): intel_pmu_pebs_enable first for precise events
   * (clears INT), then intel_set_masks and __x86_pmu_enable_event (EVTSEL = config | ENABLE).
   */
  intelPmuEnableEvent(w: PerfWorld, env: PerfEnv, e: number): void {
    const idx = w.perf.evIdx[e] as number;
    if (env.perf.events[e]?.precise) env.k.ds.intelPmuPebsEnable(w, env, e);
    this.intelSetMasks(w, env, e);
    wrmsr(w.hw, MSR_P6_EVNTSEL0 + idx, evtselValue(true, ((w.perf.evConfigInt >>> e) & 1) === 1), env.obs);
  }

  /**
   * handle_pmi_common (v5.11): drop PEBS counters from the status; on BUFFER_OVF (bit 62) count
   * one, drain the PEBS buffer, and write PEBS_ENABLE if the drain changed cpuc->pebs_enabled
   * (a throttle inside the PMI skipped the MSR write because cpuc->enabled == 0); then each
   * remaining counter bit counts one, and an active counter's event is re-armed
   * (intel_pmu_save_and_restart) and goes through perf_event_overflow, stopped if that asks for
   * it. Returns the number handled.
   * v6.16: the same for these paths (perf_event_overflow throttles in the core instead of
   * returning 1; the effect on a single-event group is the same stop).
   */
  handlePmiCommon(w: PerfWorld, env: PerfEnv, status0: number): number {
    let handled = 0;
    let status = status0;
    if (!status) return 0;
    status &= ~(env.pmu.pebsAll ? w.perf.pebsEnabled : w.perf.pebsEnabled & env.pmu.pebsCounterMask);
    if (status & STATUS_BUFFER_OVF) {
      status &= ~STATUS_BUFFER_OVF;
      const pebsEnabled = w.perf.pebsEnabled;
      handled++;
      env.k.ds.drainPebs(w, env);
      status &= env.pmu.intelCtrl;
      if (pebsEnabled !== w.perf.pebsEnabled) {
        wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled, env.obs);
        env.obs.call("handle_pmi_common", "cpuc->pebs_enabled changed during the drain: PEBS_ENABLE rewritten");
      }
    }
    for (let bit = 0; status >>> bit !== 0; bit++) {
      if (!((status >>> bit) & 1)) continue;
      handled++;
      if (!(w.perf.activeMask & (1 << bit))) {
        env.obs.call("handle_pmi_common", () => `status bit ${bit}: counter not active, counted as handled`);
        continue;
      }
      const e = (w.perf.events[bit] as number) - 1;
      if (e < 0) continue;
      // intel_pmu_save_and_restart: x86_perf_event_set_period re-arms the counter first.
      env.k.x86.x86PerfEventSetPeriod(w, env, e);
      if (env.k.events.perfEventOverflow(w, env, e)) env.k.x86.x86PmuStop(w, env, e);
    }
    return handled;
  }

  /**
   * intel_pmu_handle_irq (v5.11): save cpuc->enabled and force it to 0, GLOBAL_CTRL = 0, then
   * loop { ack GLOBAL_STATUS; handle_pmi_common; re-read } until the status is clear, restore
   * cpuc->enabled and, if it was set, __intel_pmu_enable_all (GLOBAL_CTRL only, never
   * PEBS_ENABLE). LVTPC is acknowledged (apic_write(APIC_LVTPC, APIC_DM_NMI): unmasked and in NMI
   * mode, apic.ts ackLvtpc) first, or last with x86_pmu.late_ack (7.1.5 l.3712-3713, l.3762-3763).
   * Returns `handled`.
   */
  intelPmuHandleIrq(w: PerfWorld, env: PerfEnv): number {
    const pmuEnabled = w.perf.enabled;
    if (!env.pmu.lateAck) ackLvtpc(w.hw, env.obs);
    w.perf.enabled = 0;
    this.__intelPmuDisableAll(w, env);
    let handled = 0;
    let status = rdmsr(w.hw, MSR_CORE_PERF_GLOBAL_STATUS);
    env.obs.call("intel_pmu_handle_irq", () => `GLOBAL_STATUS ${archHex(status)}`);
    for (let loops = 0; status && loops < 100; loops++) {
      wrmsr(w.hw, MSR_CORE_PERF_GLOBAL_OVF_CTRL, status, env.obs);
      handled += this.handlePmiCommon(w, env, status);
      status = rdmsr(w.hw, MSR_CORE_PERF_GLOBAL_STATUS);
    }
    w.perf.enabled = pmuEnabled;
    if (pmuEnabled) this.__intelPmuEnableAll(w, env);
    if (env.pmu.lateAck) ackLvtpc(w.hw, env.obs);
    env.obs.call("intel_pmu_handle_irq", () => `handled ${handled}`);
    return handled;
  }

  /**
   * intel_guest_get_msrs (v5.11): entry 0 GLOBAL_CTRL {host: intel_ctrl & ~guest_mask, guest:
   * intel_ctrl & ~host_mask without the PEBS counters}; if pebs && pebs_no_isolation, entry 1
   * PEBS_ENABLE {host: cpuc->pebs_enabled, guest: 0}.
   */
  intelGuestGetMsrsV511(w: PerfWorld, env: PerfEnv): GuestSwitchMsr[] {
    const p = w.perf;
    const pebsMask = env.pmu.pebsAll ? p.pebsEnabled : p.pebsEnabled & env.pmu.pebsCounterMask;
    const arr: GuestSwitchMsr[] = [
      {
        msr: MSR_CORE_PERF_GLOBAL_CTRL,
        host: env.pmu.intelCtrl & ~p.guestMask,
        guest: env.pmu.intelCtrl & ~p.hostMask & ~pebsMask,
      },
    ];
    if (env.pmu.pebs && env.pmu.pebsNoIsolation) arr.push({ msr: MSR_IA32_PEBS_ENABLE, host: p.pebsEnabled, guest: 0 });
    return arr;
  }

  /**
   * What intel_guest_get_msrs (v6.16 on) starts with: the PEBS counters of cpuc->pebs_enabled
   * (pebs_mask), the GLOBAL_CTRL entry {host: intel_ctrl & ~guest_mask, guest: intel_ctrl &
   * ~host_mask & ~pebs_mask}, and without isolation the PEBS_ENABLE entry {host: pebs_enabled,
   * guest: 0}, which ends the array (`done`).
   */
  private guestGetMsrsHead(w: PerfWorld, env: PerfEnv) {
    const p = w.perf;
    const pebsMask = env.pmu.pebsAll ? p.pebsEnabled : p.pebsEnabled & env.pmu.pebsCounterMask;
    const globalCtrl = {
      msr: MSR_CORE_PERF_GLOBAL_CTRL,
      host: env.pmu.intelCtrl & ~p.guestMask,
      guest: env.pmu.intelCtrl & ~p.hostMask & ~pebsMask,
    };
    const arr: GuestSwitchMsr[] = [globalCtrl];
    let done = !env.pmu.pebs;
    if (!done && env.pmu.pebsNoIsolation) {
      arr.push({ msr: MSR_IA32_PEBS_ENABLE, host: p.pebsEnabled, guest: 0 });
      done = true;
    }
    return { pebsMask, globalCtrl, arr, done };
  }

  /**
   * intel_guest_get_msrs (v6.16): GLOBAL_CTRL as v5.11 (guest without pebs_mask); without
   * isolation PEBS_ENABLE {host: pebs_enabled, guest: 0} and stop; with isolation and a vCPU
   * PMU on an EPT-friendly-PEBS CPU: DS_AREA, PEBS_DATA_CFG (baseline), and PEBS_ENABLE
   * {host: pebs_enabled & ~guest_mask, guest: pebs_mask & ~host_mask & kvm_pmu->pebs_enable},
   * guest zeroed when the host uses PEBS, else the guest's PEBS counters join GLOBAL_CTRL.
   */
  intelGuestGetMsrsV616(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    const p = w.perf;
    const { pebsMask, globalCtrl, arr, done } = this.guestGetMsrsHead(w, env);
    if (done) return arr;
    if (!kvmPmu || !env.pmu.pebsEpt) return arr;
    arr.push({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: kvmPmu.dsArea });
    if (env.pmu.pebsBaseline)
      arr.push({ msr: MSR_PEBS_DATA_CFG, host: p.activePebsDataCfg, guest: kvmPmu.pebsDataCfg });
    const host = p.pebsEnabled & ~p.guestMask;
    let guest = pebsMask & ~p.hostMask & kvmPmu.pebsEnable;
    if (host) guest = 0;
    else {
      guest &= ~kvmPmu.hostCrossMappedMask;
      globalCtrl.guest &= ~kvmPmu.hostCrossMappedMask;
      globalCtrl.guest |= guest;
    }
    arr.push({ msr: MSR_IA32_PEBS_ENABLE, host, guest });
    return arr;
  }

  /**
   * intel_guest_get_msrs (v6.1.y): read in Debian's linux-source-6.1 6.1.192-3,
   * arch/x86/events/intel/core.c l.4119-4216 (`l.N` below are that file's lines). 6.1.y took two
   * of the 2026 series, and this tree holds both: 3d512e91 "Ensure guest PEBS path doesn't set
   * unwanted PERF_GLOBAL_CTRL bits" (`& intel_ctrl`, l.4186) and d701c6c6 "Don't write
   * PEBS_ENABLED on host<=>guest xfers if CPU has isolation" (no PEBS_ENABLE entry, l.4207-4214).
   * It lacks 87524d58 and 22ff4b9b: DS_AREA and PEBS_DATA_CFG are still handed over with the
   * vCPU's values whatever guest PEBS does, and the `!kvm_pmu` return is still there. One `if`
   * here per branch of the function, in its order.
   */
  intelGuestGetMsrsV61y(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    const p = w.perf;
    // l.4124/l.4125: intel_ctrl = hybrid(cpuc->pmu, intel_ctrl); pebs_mask = cpuc->pebs_enabled &
    // x86_pmu.pebs_capable (~0 with PEBS on all counters, l.6137; else PEBS_COUNTER_MASK, l.5958).
    const intelCtrl = env.pmu.intelCtrl;
    const pebsMask = env.pmu.pebsAll ? p.pebsEnabled : p.pebsEnabled & env.pmu.pebsCounterMask;
    // l.4138-4142: GLOBAL_CTRL {host: intel_ctrl & ~intel_ctrl_guest_mask, guest: intel_ctrl &
    // ~intel_ctrl_host_mask & ~pebs_mask}.
    const globalCtrl = {
      msr: MSR_CORE_PERF_GLOBAL_CTRL,
      host: intelCtrl & ~p.guestMask,
      guest: intelCtrl & ~p.hostMask & ~pebsMask,
    };
    const arr: GuestSwitchMsr[] = [globalCtrl];
    // l.4144/l.4145: `if (!x86_pmu.pebs) return arr;`
    if (!env.pmu.pebs) return arr;
    // l.4155-l.4162: `if (x86_pmu.pebs_no_isolation)` PEBS_ENABLE {host: cpuc->pebs_enabled,
    // guest: 0} and return: the 2021 race's stale snapshot, as in every version.
    if (env.pmu.pebsNoIsolation) {
      arr.push({ msr: MSR_IA32_PEBS_ENABLE, host: p.pebsEnabled, guest: 0 });
      return arr;
    }
    // l.4164/l.4165: `if (!kvm_pmu || !x86_pmu.pebs_ept) return arr;`
    if (!kvmPmu || !env.pmu.pebsEpt) return arr;
    // l.4167-l.4171: DS_AREA {host: cpuc->ds, guest: kvm_pmu->ds_area}, unconditionally: a vCPU
    // without guest PEBS hands over its (zero) ds_area, so KVM switches DS_AREA on every entry.
    arr.push({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: kvmPmu.dsArea });
    // l.4173-l.4179: with baseline PEBS, PEBS_DATA_CFG {host: cpuc->pebs_data_cfg, guest:
    // kvm_pmu->pebs_data_cfg}. 6.1's cpuc->pebs_data_cfg is what intel_pmu_pebs_enable writes
    // (ds.c l.1312/l.1313); the model's one field cpuc->active_pebs_data_cfg stands for both.
    if (env.pmu.pebsBaseline)
      arr.push({ msr: MSR_PEBS_DATA_CFG, host: p.activePebsDataCfg, guest: kvmPmu.pebsDataCfg });
    // l.4186-l.4188: guest_pebs_mask = pebs_mask & intel_ctrl & kvm_pmu->pebs_enable &
    // ~intel_ctrl_host_mask & intel_ctrl_guest_mask.
    let guestPebsMask = pebsMask & intelCtrl & kvmPmu.pebsEnable & ~p.hostMask & p.guestMask;
    // l.4196: guest_pebs_mask &= ~kvm_pmu->host_cross_mapped_mask (GLOBAL_CTRL is not masked with it).
    guestPebsMask &= ~kvmPmu.hostCrossMappedMask;
    // l.4204/l.4205: `if (pebs_mask & ~cpuc->intel_ctrl_guest_mask) guest_pebs_mask = 0;`
    if (pebsMask & ~p.guestMask) guestPebsMask = 0;
    // l.4207-l.4214: no PEBS_ENABLE entry ("Do NOT mess with PEBS_ENABLED"); the guest's PEBS
    // counters are enabled through GLOBAL_CTRL only: arr[global_ctrl].guest |= guest_pebs_mask.
    globalCtrl.guest |= guestPebsMask;
    return arr;
  }

  /**
   * intel_guest_get_msrs (v7.3): read from arch/x86/events/intel/core.c at 22ff4b9b72218b97 of
   * kernelorg-mirror/linux_kernel_git_peterz_queue, the last of the four perf/urgent commits merged
   * for 7.3-rc5 (3d512e91 "Ensure guest PEBS path doesn't set unwanted PERF_GLOBAL_CTRL bits",
   * d701c6c6 "Don't write PEBS_ENABLED on host<=>guest xfers if CPU has isolation", 87524d58
   * "Don't context switch DS_AREA (and PEBS config) if PEBS is unused", 22ff4b9b "Make @data a
   * mandatory param for intel_guest_get_msrs()"). `+N` is the line's offset from the function's
   * signature line (`static struct perf_guest_switch_msr *intel_guest_get_msrs(int *nr, void *data)`).
   * One `if` here per branch of the function, in its order. Only the 22ff4b9b version is stored, so
   * which commit brought a line is inferred from the commits' titles.
   */
  intelGuestGetMsrsV73(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    const p = w.perf;
    // +5/+6: intel_ctrl = hybrid(cpuc->pmu, intel_ctrl); pebs_mask = cpuc->pebs_enabled &
    // x86_pmu.pebs_capable (pebs_capable is ~0 with PEBS on all counters, else the PEBS counters).
    const intelCtrl = env.pmu.intelCtrl;
    const pebsMask = env.pmu.pebsAll ? p.pebsEnabled : p.pebsEnabled & env.pmu.pebsCounterMask;
    // +19..+22: GLOBAL_CTRL {host: intel_ctrl & ~intel_ctrl_guest_mask, guest: intel_ctrl &
    // ~intel_ctrl_host_mask & ~pebs_mask}. Unchanged by the four commits.
    const globalCtrl = {
      msr: MSR_CORE_PERF_GLOBAL_CTRL,
      host: intelCtrl & ~p.guestMask,
      guest: intelCtrl & ~p.hostMask & ~pebsMask,
    };
    const arr: GuestSwitchMsr[] = [globalCtrl];
    // +25: `if (!x86_pmu.ds_pebs) return arr;` Unchanged.
    if (!env.pmu.pebs) return arr;
    // +36..+42: `if (x86_pmu.pebs_no_isolation)` PEBS_ENABLE {host: cpuc->pebs_enabled, guest: 0}
    // and return. Unchanged: without isolation the stale-snapshot entry of the 2021 bug remains.
    if (env.pmu.pebsNoIsolation) {
      arr.push({ msr: MSR_IA32_PEBS_ENABLE, host: p.pebsEnabled, guest: 0 });
      return arr;
    }
    // +50: `if (!x86_pmu.pebs_ept) return arr;` (v6.16: `if (!kvm_pmu || !x86_pmu.pebs_ept)`).
    if (!env.pmu.pebsEpt) return arr;
    // 22ff4b9b: @data is mandatory, the `!kvm_pmu` return is gone; KVM always passes its kvm_pmu
    // (cell.ts builds one for every vCPU from v6.16). A null here would be a NULL dereference.
    if (!kvmPmu) throw new Error("intel_guest_get_msrs (v7.3): @data (kvm_pmu) is mandatory since 22ff4b9b");
    // +58..+60 (`& intel_ctrl`: 3d512e91): guest_pebs_mask = pebs_mask & intel_ctrl &
    // kvm_pmu->pebs_enable & ~intel_ctrl_host_mask & intel_ctrl_guest_mask: PEBS counters the
    // guest wants, not excluded in the guest, and excluded in the host.
    let guestPebsMask = pebsMask & intelCtrl & kvmPmu.pebsEnable & ~p.hostMask & p.guestMask;
    // +68: guest_pebs_mask &= ~kvm_pmu->host_cross_mapped_mask (GLOBAL_CTRL's guest value is no
    // longer masked with it, as v6.16 did: a cross-mapped PEBS counter is already out via pebs_mask).
    guestPebsMask &= ~kvmPmu.hostCrossMappedMask;
    // +76/+77: `if (pebs_mask & ~cpuc->intel_ctrl_guest_mask) guest_pebs_mask = 0;` the host uses PEBS.
    if (pebsMask & ~p.guestMask) guestPebsMask = 0;
    // +84..+88 (87524d58): DS_AREA always, its guest value the host's cpuc->ds unless guest PEBS is
    // active; KVM's `host == guest` branch then clear_atomic_switch_msr()s it.
    arr.push({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: guestPebsMask ? kvmPmu.dsArea : DS_HOST });
    // +90..+96 (87524d58): with baseline PEBS, PEBS_DATA_CFG likewise.
    if (env.pmu.pebsBaseline) {
      const host = p.activePebsDataCfg;
      arr.push({ msr: MSR_PEBS_DATA_CFG, host, guest: guestPebsMask ? kvmPmu.pebsDataCfg : host });
    }
    // +106 (d701c6c6): no PEBS_ENABLE entry; the guest's PEBS counters are enabled through
    // GLOBAL_CTRL only: arr[global_ctrl].guest |= guest_pebs_mask.
    globalCtrl.guest |= guestPebsMask;
    return arr;
  }

  /** perf_guest_get_msrs: the version the scenario's kernel runs, chosen by what its code has. */
  perfGuestGetMsrs(w: PerfWorld, env: PerfEnv, kvmPmu: KvmPmuPebs | null): GuestSwitchMsr[] {
    const k = env.perf.kernel;
    if (kernelHas(k, "ds-area-only-for-guest-pebs")) return this.intelGuestGetMsrsV73(w, env, kvmPmu);
    if (kernelHas(k, "guest-pebs-no-pebs-enable")) return this.intelGuestGetMsrsV61y(w, env, kvmPmu);
    if (kernelHas(k, "kvm-pmu-arg")) return this.intelGuestGetMsrsV616(w, env, kvmPmu);
    return this.intelGuestGetMsrsV511(w, env);
  }
}
