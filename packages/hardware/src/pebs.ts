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
 * - VMX root: a record is written at pebs_index (unless pebs_absolute_maximum is reached: then
 *   nothing is written and nothing signalled), the index advances, and when it reaches
 *   pebs_interrupt_threshold GLOBAL_STATUS.BUFFER_OVF (bit 62) is set and a PMI raised. Only the
 *   record that reaches the threshold raises it (SDM Vol. 3B 18.6.2.4.2 / 20.6.2.4.2: "if the
 *   PEBS Index reaches the threshold value of this field, the processor will generate a
 *   performance interrupt"; older editions: the threshold is "the PEBS record on which an
 *   interrupt is to be generated", and must be "several records short of the PEBS absolute
 *   maximum address to allow a pending interrupt to be handled prior to processor writing the
 *   PEBS absolute maximum record": records go on being written after it, without another PMI).
 *   The counter reloads from pebs_event_reset[k] (abstracted).
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
  if (n >= cfg.pebsMaxRecords) {
    obs.event(`PEBS assist for counter ${k}: buffer full (pebs_index = pebs_absolute_maximum), no record, no PMI`);
    return;
  }
  s.pebsRecords = pebsRecordAppend(s.pebsRecords, k);
  const index = n + 1;
  obs.event(`PEBS assist: record for counter ${k}, pebs_index ${index}`);
  if (index === cfg.pebsThresholdRecords) {
    s.globalStatus |= STATUS_BUFFER_OVF;
    raisePmi(s, obs, PMI_SRC_PEBS, "PEBS buffer threshold", cfg.dropMaskedPmi);
  }
}

/**
 * PEBS_ENABLE was written (by WRMSR or by a VM-entry/VM-exit load). The SDM (Vol. 3B,
 * "Re-configuring PEBS Facilities") asks software, after disabling PEBS, to "allow a quiescent
 * period ... to allow any latent residual PEBS records to complete its capture", and gives no
 * length; add_atomic_switch_msr's comment (vmx.c, v5.11 to 7.1.5) says the same of VM-entry. So a
 * counter that counted with its bit set and loses the bit may still take one latent assist
 * (latentPebsAssist) within the quiescent period; a counter whose bit comes back has none.
 */
export function pebsEnableWritten(s: HwState, before: number, after: number): void {
  const cleared = before & ~after & s.evtselEn & s.globalCtrl;
  s.pebsLatent = (s.pebsLatent & ~after) | cleared;
  for (let k = 0; cleared >>> k !== 0; k++) if ((cleared >>> k) & 1) s.pebsLatentAge[k] = 0;
}

/**
 * A latent PEBS assist of counter k, after its PEBS_ENABLE bit was cleared: the record of an
 * overflow just before the clear completes now, through the current context (pebsAssist).
 */
export function latentPebsAssist(s: HwState, k: number, cfg: HwConfig, obs: HwObserver): void {
  s.pebsLatent &= ~(1 << k);
  // The overflow behind the assist wrapped the counter (pmu.ts).
  s.ctrArmed &= ~(1 << k);
  obs.event(`latent PEBS assist for counter ${k} (PEBS_ENABLE bit already clear, within the quiescent period)`);
  pebsAssist(s, k, cfg, obs);
}
