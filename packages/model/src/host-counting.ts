import { DS_HOST, gpCounting, type HwConfig, lowMask } from "@switchlab/hardware";
import type { World } from "./world.js";

/**
 * What goes wrong for the host, in VMX root with perf's PMU enabled, because of the PMU MSRs the
 * VM-exit left (the consequences, not the raw values):
 * - a GP counter counts although perf runs no host event on it (a counter perf gave a KVM guest
 *   counter, an exclude_host event: its guest's counts include host code), or a counter perf runs
 *   a host event on, with EVTSEL.EN set, does not count because its GLOBAL_CTRL bit is clear (the
 *   host event loses its samples). "Runs" is cpuc->active_mask (x86_pmu_start sets it,
 *   x86_pmu_stop clears it) without cpuc->intel_ctrl_guest_mask. A stale GLOBAL_CTRL bit of a
 *   counter the PMI stopped (EVTSEL.EN clear) counts nothing and is no consequence: every way
 *   that counter runs again goes through x86_pmu_enable / intel_pmu_enable_all, which rewrite
 *   GLOBAL_CTRL (kernel/events/core.c perf_pmu_enable, arch/x86/events/core.c, intel/core.c).
 * - a counter with PEBS_ENABLE set counts while DS_AREA is not the host debug store: its PEBS
 *   records go through a debug store perf did not set up (SDM Vol. 3B 20.6.2.4, the DS save area);
 * - with adaptive PEBS, such a counter counts while PEBS_DATA_CFG is not
 *   cpuc->active_pebs_data_cfg: its records carry groups perf did not ask for.
 * Returns each consequence, one line each; empty when there is none.
 */
export function hostCountingWrong(w: World, cfg: HwConfig, pebsBaseline: boolean): string[] {
  const out: string[] = [];
  const counting = gpCounting(w.hw, cfg);
  const runs = w.perf.activeMask & ~w.perf.guestMask & lowMask(cfg.numGp);
  for (let k = 0; k < cfg.numGp; k++) {
    const bit = 1 << k;
    if (counting & bit && !(runs & bit))
      out.push(
        w.perf.guestMask & bit
          ? `counter ${k} counts host code although perf gave it to the guest (GLOBAL_CTRL bit ${k} set in VMX root)`
          : `counter ${k} counts although perf runs no event on it (GLOBAL_CTRL bit ${k} and EVTSEL.EN set)`,
      );
    else if (runs & bit && w.hw.evtselEn & bit && !(w.hw.globalCtrl & bit))
      out.push(`counter ${k} holds a host event perf runs, but GLOBAL_CTRL bit ${k} is clear: it counts nothing`);
  }
  const pebsCounting = w.hw.pebsEnable & counting;
  if (pebsCounting && w.hw.dsArea !== DS_HOST)
    out.push(`a PEBS counter counts while DS_AREA is not the host debug store: its records go elsewhere`);
  if (pebsCounting && pebsBaseline && w.hw.pebsDataCfg !== w.perf.activePebsDataCfg)
    out.push(
      `a PEBS counter counts while PEBS_DATA_CFG is 0x${w.hw.pebsDataCfg.toString(16)}, not perf's 0x${w.perf.activePebsDataCfg.toString(16)}: its records have groups perf did not set up`,
    );
  return out;
}
