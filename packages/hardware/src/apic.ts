import { MSR_X2APIC_LVTPC } from "./msr-index.js";
import type { HwObserver } from "./observer.js";
import { type HwState, OWNER_GUEST, OWNER_HOST } from "./state.js";

/**
 * PMIs through the local APIC's LVTPC entry, delivered as NMIs (APIC_DM_NMI), and the CPU's NMI
 * latch. Raising a PMI and delivering it are separate steps: the APIC delivers later, never while
 * LVTPC is masked, and the CPU holds at most one NMI while NMIs are blocked (Intel SDM Vol. 3A
 * 10.5.1, 6.7.1). perf unmasks LVTPC from intel_pmu_handle_irq (apic_write(APIC_LVTPC, APIC_DM_NMI), which
 * also sets NMI delivery: ackLvtpc).
 */

/** PMI source: a counter overflow with EVTSEL.INT (or a fixed counter's PMI bit). */
export const PMI_SRC_OVERFLOW = 1;
/** PMI source: the PEBS assist reaching pebs_interrupt_threshold. */
export const PMI_SRC_PEBS = 2;

/**
 * The PMU raises a PMI. Pending PMIs are kept per source: a source that fires again before its
 * PMI is delivered merges with it (the interrupt is an edge), while the two sources of one
 * overflow with both PEBS_ENABLE and INT set give two PMIs, delivered one after the other.
 */
export function raisePmi(s: HwState, obs: HwObserver, source: number, why: string, dropIfMasked = false): void {
  if (dropIfMasked && s.lvtpcMasked) {
    obs.event(`PMI lost: LVTPC masked (${why}; --masked-pmi drop)`);
    return;
  }
  s.pmiPending |= source;
  obs.event(`PMI raised (${why})`);
}

/** The APIC can deliver a pending PMI now: LVTPC unmasked and the CPU's NMI latch free. */
export function canDeliverPmi(s: HwState): boolean {
  return s.pmiPending > 0 && s.lvtpcMasked === 0 && s.nmiLatched === 0;
}

/**
 * The APIC delivers one pending PMI (lowest source first) through LVTPC and sets its mask bit
 * (SDM Vol. 3A 11.5.1): as an NMI (APIC_DM_NMI), or with LVTPC in fixed mode as vector 0xf5 into
 * the IRR. The LVT entry is read when the interrupt is delivered: the model's delivery latency
 * covers the whole path from overflow to the core, so a PMI raised under one LVTPC value may be
 * delivered under the next (README, "The mediated vPMU").
 */
export function deliverPmi(s: HwState, obs: HwObserver): void {
  s.pmiPending &= s.pmiPending - 1;
  s.pmiAge = 0;
  s.lvtpcMasked = 1;
  const owner = s.pmiOwner;
  if (s.pmiPending === 0) s.pmiOwner = 0;
  if (s.lvtpcVector) {
    s.vpmiIrr |= owner || OWNER_HOST;
    obs.event(`APIC delivers PMI as vector 0xf5 (${owner & OWNER_GUEST ? "guest" : "host"} counter; LVTPC masked)`);
    return;
  }
  s.nmiLatched = 1;
  if (owner & OWNER_GUEST) s.guestPmiAsNmi = 1;
  obs.event(
    `APIC delivers PMI as NMI (LVTPC masked)${owner & OWNER_GUEST ? ": raised by a counter holding the guest's selector" : ""}`,
  );
}

/** apic_write(APIC_LVTPC, ...): delivery mode NMI (perf) or fixed vector 0xf5 (a mediated guest's), and the mask bit. */
export function writeLvtpc(s: HwState, vector: boolean, masked: boolean, obs: HwObserver): void {
  const before = s.lvtpcVector;
  s.lvtpcVector = vector ? 1 : 0;
  // In x2APIC mode (every modelled server) the write is a WRMSR; the ledger counts it as one.
  obs.msrWrite("wrmsr", MSR_X2APIC_LVTPC, before, s.lvtpcVector);
  s.lvtpcMasked = masked ? 1 : 0;
  obs.event(
    `apic_write(APIC_LVTPC, ${vector ? "APIC_DM_FIXED | 0xf5" : "APIC_DM_NMI"}${masked ? " | APIC_LVT_MASKED" : ""})`,
  );
}

/**
 * The PMI handler's acknowledgement, `apic_write(APIC_LVTPC, APIC_DM_NMI)`: intel_pmu_handle_irq
 * (arch/x86/events/intel/core.c, 7.1.5 l.3713 early ack, l.3763 late ack; v5.11 and v6.16 the
 * same write), x86_pmu_handle_irq (arch/x86/events/core.c l.1727). The write replaces the whole
 * LVT entry (SDM Vol. 3A 11.5.1, "Local Vector Table", 10.5.1 in older editions): delivery mode
 * 100b (NMI), vector 0, mask bit 16 clear. So it unmasks LVTPC and also sets NMI delivery, whatever
 * the entry held: after perf_load_guest_lvtpc's write of APIC_DM_FIXED | 0xf5 it undoes the
 * switch to the mediated guest's vector. No kernel version guards it with guest_lvtpc_loaded: only
 * perf_event_nmi_handler's early return (7.1.5 l.1806) keeps the handler from running at all.
 * Not counted in the ledger (an NMI's write, not the switch's).
 */
export function ackLvtpc(s: HwState, obs: HwObserver): void {
  if (s.lvtpcVector) obs.event("LVTPC delivery mode: fixed vector 0xf5 -> NMI (the handler's apic_write)");
  s.lvtpcVector = 0;
  s.lvtpcMasked = 0;
}

/** The CPU takes a latched NMI in VMX root: only when NMIs are not blocked. */
export function canTakeNmi(s: HwState): boolean {
  return s.nmiLatched === 1 && s.nmiBlocked === 0;
}

/** The CPU enters the NMI handler: the latch empties and NMIs are blocked until IRET. */
export function takeNmi(s: HwState): void {
  s.nmiLatched = 0;
  s.nmiBlocked = 1;
}

/** IRET at the end of the NMI handler: NMIs unblocked (a latched one may be taken at once). */
export function iretFromNmi(s: HwState): void {
  s.nmiBlocked = 0;
}
