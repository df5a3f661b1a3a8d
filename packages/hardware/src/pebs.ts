import { PMI_SRC_PEBS, raisePmi } from "./apic.js";
import type { HwConfig } from "./config.js";
import { DS_GUEST, dsAddressHex, pebsRecordAppend, pebsRecordCount } from "./debug-store.js";
import { STATUS_BUFFER_OVF } from "./msr-index.js";
import type { HwObserver } from "./observer.js";
import type { HwState } from "./state.js";

/** Guest PEBS records the model counts before it stops distinguishing (keeps the state finite). */
export const MAX_GUEST_PEBS_RECORDS = 3;

/**
 * A PEBS assist for GP counter k (Intel SDM Vol. 3B 20.6.2.4; the 2020 and 2021 reports).
 *
 * The assist reads the debug store through the current paging context:
 * - VMX root: a record is written at pebs_index (unless pebs_absolute_maximum is reached), the
 *   index advances, and when pebs_index >= pebs_interrupt_threshold GLOBAL_STATUS.BUFFER_OVF
 *   (bit 62) is set and a PMI raised. The counter reloads from pebs_event_reset[k] (abstracted).
 * - VMX non-root with DS_AREA pointing at a host debug store: the host linear address goes
 *   through the guest's page tables, and the first read, of pebs_interrupt_threshold at
 *   DS_AREA + 0x38, page-faults in the guest. No record is written.
 * - VMX non-root with a guest debug store (guest PEBS, EPT-friendly): the record lands in guest
 *   memory; the guest's own PMI handling is outside the model.
 */
export function pebsAssist(s: HwState, k: number, cfg: HwConfig, obs: HwObserver): void {
  if (s.mode === 1) {
    if (s.dsArea === DS_GUEST) {
      if (s.guestPebsRecords < MAX_GUEST_PEBS_RECORDS) s.guestPebsRecords++;
      obs.event(`PEBS assist in non-root: record for counter ${k} written to the guest's debug store`);
      return;
    }
    if (s.guestPf === 0) {
      s.guestPf = 1;
      s.guestPfDs = s.dsArea;
    }
    obs.event(
      `PEBS assist in non-root: #PF in guest reading ${dsAddressHex(s.dsArea)} + 0x38 (pebs_interrupt_threshold)`,
    );
    return;
  }
  const n = pebsRecordCount(s.pebsRecords);
  if (n < cfg.pebsMaxRecords) s.pebsRecords = pebsRecordAppend(s.pebsRecords, k);
  const index = pebsRecordCount(s.pebsRecords);
  obs.event(`PEBS assist: record for counter ${k}, pebs_index ${index}`);
  if (index >= cfg.pebsThresholdRecords) {
    s.globalStatus |= STATUS_BUFFER_OVF;
    raisePmi(s, obs, PMI_SRC_PEBS, "PEBS buffer threshold");
  }
}
