import { MSR_IA32_PEBS_ENABLE, MSR_PEBS_DATA_CFG, pebsRecordCounters, wrmsr } from "@switchlab/hardware";
import { injectable } from "tsyringe";
import type { PerfEnv, PerfWorld } from "../env.js";

/**
 * arch/x86/events/intel/ds.c: PEBS enable/disable and the drain (v5.11; v6.16 differences noted).
 * Methods keep the kernel's names in camelCase; `e` is an event index.
 */
@injectable()
export class IntelDs {
  /**
   * intel_pmu_pebs_enable (ds.c, v5.11 and v6.16): clears INT in the event's config and sets its
   * bit in cpuc->pebs_enabled. It never writes MSR_IA32_PEBS_ENABLE: intel_pmu_pebs_enable_all,
   * from the enclosing x86_pmu_enable, does. With adaptive PEBS (pebs_baseline) it writes
   * MSR_PEBS_DATA_CFG when the event's record groups differ from the active ones, and keeps them
   * in cpuc->active_pebs_data_cfg (the model grows it as pebs_update_adaptive_cfg ORs groups in;
   * it is not shrunk when events leave, as pebs_update_state only resets it when the first PEBS
   * event is added).
   */
  intelPmuPebsEnable(w: PerfWorld, env: PerfEnv, e: number): void {
    const idx = w.perf.evIdx[e] as number;
    w.perf.evConfigInt &= ~(1 << e);
    w.perf.pebsEnabled |= 1 << idx;
    const cfg = env.perf.events[e]?.pebsDataCfg ?? 0;
    if (env.pmu.pebsBaseline && (w.perf.activePebsDataCfg | cfg) !== w.perf.activePebsDataCfg) {
      w.perf.activePebsDataCfg |= cfg;
      wrmsr(w.hw, MSR_PEBS_DATA_CFG, w.perf.activePebsDataCfg, env.obs);
    }
    env.obs.call("intel_pmu_pebs_enable", () => `cpuc->pebs_enabled |= bit ${idx}`);
  }

  /**
   * intel_pmu_pebs_disable (ds.c, v5.11 and v6.16): clears the bit in cpuc->pebs_enabled and
   * writes the MSR only `if (cpuc->enabled)`; sets INT back in the config. (The large-PEBS
   * drain at its top does not apply: scenarios use single-record PEBS.)
   */
  intelPmuPebsDisable(w: PerfWorld, env: PerfEnv, e: number): void {
    const idx = w.perf.evIdx[e] as number;
    w.perf.pebsEnabled &= ~(1 << idx);
    const write = w.perf.enabled !== 0;
    if (write) wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled, env.obs);
    w.perf.evConfigInt |= 1 << e;
    env.obs.call(
      "intel_pmu_pebs_disable",
      () => `cpuc->pebs_enabled &= ~bit ${idx}; ${write ? "MSR written" : "MSR not written (cpuc->enabled == 0)"}`,
    );
  }

  /** intel_pmu_pebs_enable_all (ds.c): `if (cpuc->pebs_enabled) wrmsrl(MSR_IA32_PEBS_ENABLE, cpuc->pebs_enabled)`. */
  intelPmuPebsEnableAll(w: PerfWorld, env: PerfEnv): void {
    if (w.perf.pebsEnabled) wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled, env.obs);
  }

  /** intel_pmu_pebs_disable_all (ds.c): `if (cpuc->pebs_enabled) wrmsrl(MSR_IA32_PEBS_ENABLE, 0)`. */
  intelPmuPebsDisableAll(w: PerfWorld, env: PerfEnv): void {
    if (w.perf.pebsEnabled) wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, 0, env.obs);
  }

  /**
   * x86_pmu.drain_pebs: intel_pmu_drain_pebs_nhm (PEBS format 3, Skylake) or _icl (format 4,
   * adaptive), v5.11. pebs_index is reset to the buffer base; each record counts for its counter
   * only if the counter's bit is in `cpuc->pebs_enabled & mask` (a record of a counter that
   * perf no longer has in PEBS mode is silently dropped); for each counter with records,
   * cpuc->events[bit] must exist (else WARN_ON_ONCE and skip), and __intel_pmu_pebs_event
   * sends the last record through perf_event_overflow, stopping the event when that asks for it.
   */
  drainPebs(w: PerfWorld, env: PerfEnv): void {
    const packed = w.hw.pebsRecords;
    w.hw.pebsRecords = 0;
    const mask = w.perf.pebsEnabled & (env.pmu.pebsAll ? env.pmu.intelCtrl : env.pmu.pebsCounterMask);
    // Counters with at least one record that counts (the rest are dropped).
    let counted = 0;
    for (let r = packed; r !== 0; r >>>= 4) {
      const k = (r & 0xf) - 1;
      if (mask & (1 << k)) counted |= 1 << k;
    }
    env.obs.call("intel_pmu_drain_pebs", () => {
      const records = pebsRecordCounters(packed);
      const dropped = records.filter((k) => !(mask & (1 << k)));
      return `${records.length} record(s)${dropped.length ? `; dropped (counter not in cpuc->pebs_enabled): ${dropped.join(",")}` : ""}`;
    });
    for (let bit = 0; counted >>> bit !== 0; bit++) {
      if (!((counted >>> bit) & 1)) continue;
      const ev = (w.perf.events[bit] as number) - 1;
      if (ev < 0) {
        env.obs.call("intel_pmu_drain_pebs", () => `WARN_ON_ONCE(!event) for counter ${bit}`);
        continue;
      }
      // __intel_pmu_pebs_event: intel_pmu_save_and_restart (no auto-reload: frequency mode)
      // re-arms the counter, then n - 1 perf_event_output and the last through perf_event_overflow.
      env.k.x86.x86PerfEventSetPeriod(w, env, ev);
      if (env.k.events.perfEventOverflow(w, env, ev)) env.k.x86.x86PmuStop(w, env, ev);
    }
  }
}
