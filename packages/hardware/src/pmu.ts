import { PMI_SRC_OVERFLOW, raisePmi } from "./apic.js";
import type { HwConfig } from "./config.js";
import { FIXED_BASE_BIT, lowMask } from "./msr-index.js";
import type { HwObserver } from "./observer.js";
import { pebsAssist } from "./pebs.js";
import { type HwState, OWNER_GUEST, OWNER_HOST } from "./state.js";

/**
 * Counting and overflow (Intel SDM Vol. 3B 20.2 and 20.6). Counter values (IA32_PMCk) are
 * abstracted: an overflow is an event the scenario may fire whenever the counter counts and holds
 * a period (ctrArmed), which covers every count and period without enumerating them. An overflow
 * wraps the counter to 0 (SDM 20.2.1: the counter keeps counting from 0); a PEBS assist reloads
 * pebs_event_reset[k], which perf sets to 0 unless the event auto-reloads (intel_pmu_pebs_enable,
 * v5.11 to 7.1.5: only fixed-period events, `-c N`; the scenarios' events run in frequency mode).
 * From 0 the next overflow is 2^48 events away, so the counter cannot overflow again until perf
 * writes a period (x86_perf_event_set_period, in the PMI handler or x86_pmu_start with
 * PERF_EF_RELOAD).
 */

/** GP counters counting now: EVTSEL.EN and GLOBAL_CTRL bit k (in non-root, the guest's value). */
export function gpCounting(s: HwState, cfg: HwConfig): number {
  return s.evtselEn & s.globalCtrl & lowMask(cfg.numGp);
}

/** Fixed counters counting now: enabled in FIXED_CTR_CTRL and GLOBAL_CTRL bit 32 + j. */
export function fixedCounting(s: HwState, cfg: HwConfig): number {
  return s.fixedEn & (s.globalCtrl >>> FIXED_BASE_BIT) & lowMask(cfg.numFixed);
}

/**
 * GP counter k overflows.
 * - PEBS_ENABLE bit k: a PEBS assist (pebs.ts).
 * - otherwise GLOBAL_STATUS bit k is set (PEBS counters' status bits are not modelled: perf drops
 *   them in handle_pmi_common anyway).
 * - EVTSEL.INT: GLOBAL_STATUS bit k and a PMI. With both PEBS and INT, both happen: two PMIs.
 */
export function overflowGp(s: HwState, k: number, cfg: HwConfig, obs: HwObserver): void {
  const bit = 1 << k;
  const pebs = (s.pebsEnable & bit) !== 0;
  const int = (s.evtselInt & bit) !== 0;
  obs.event(`counter ${k} overflows${pebs ? " (PEBS_ENABLE set)" : ""}${int ? " (EVTSEL.INT set)" : ""}`);
  s.ctrArmed &= ~bit;
  if (pebs) pebsAssist(s, k, cfg, obs);
  if (int || !pebs) {
    s.globalStatus |= bit;
    if (s.evtselGuest & bit) s.statusGuest |= bit;
  }
  if (int) {
    // Whose PMI it is (bookkeeping, only while some counter holds guest values: otherwise every
    // PMI is the host's and the field stays 0, so it adds no state to the MSR-list path).
    if (s.evtselGuest) s.pmiOwner |= s.evtselGuest & bit ? OWNER_GUEST : OWNER_HOST;
    raisePmi(s, obs, PMI_SRC_OVERFLOW, `counter ${k} overflow, EVTSEL.INT`, cfg.dropMaskedPmi);
  }
}

/** Fixed counter j overflows: GLOBAL_STATUS bit 32 + j and a PMI (perf enables PMI on fixed counters). */
export function overflowFixed(s: HwState, j: number, obs: HwObserver): void {
  s.globalStatus |= 1 << (FIXED_BASE_BIT + j);
  raisePmi(s, obs, PMI_SRC_OVERFLOW, `fixed counter ${j} overflow`);
}
