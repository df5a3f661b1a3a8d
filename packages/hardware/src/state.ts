import { array, bits, defineState, flag, int, list, type ViewOf } from "@switchlab/explorer";
import { DS_GUEST, DS_NONE } from "./debug-store.js";
import { meta } from "./field-meta.js";
import { MAX_GP_COUNTERS } from "./msr-index.js";
import { ENTRY_LIMIT, LIST_SLOTS } from "./vmx-lists.js";

/** Largest PMI age kept, in instructions (older is the same as due). */
const MAX_WINDOW = 1 << 16;
/** Largest PEBS quiescent period, in instructions: far longer than any host path before VM-entry. */
const MAX_QUIESCENT = (1 << 13) - 1;

/**
 * The machine's state, declared once: every field with the name the SDM or the kernel gives it,
 * its range and how traces print it. The explorer derives the working view, the packed form,
 * clone, equality and fingerprints from this; traces derive their lines from the labels. Masks
 * use the compressed layout of msr-index.ts.
 */
export const HW_SPEC = {
  /** 0: VMX root (host), 1: VMX non-root (guest). */
  mode: flag(meta("mode", "mode", { timeline: true })),

  // --- PMU MSRs -------------------------------------------------------------------------------
  /** MSR_IA32_PEBS_ENABLE (0x3f1): bit k = PEBS on GP counter k. */
  pebsEnable: bits(16, meta("PEBS_ENABLE", "mask", { timeline: true })),
  /** MSR_CORE_PERF_GLOBAL_CTRL (0x38f). */
  globalCtrl: bits(16, meta("GLOBAL_CTRL", "mask", { timeline: true })),
  /** MSR_CORE_PERF_GLOBAL_STATUS (0x38e), including STATUS_BUFFER_OVF (model bit 30). */
  globalStatus: bits(31, meta("GLOBAL_STATUS", "mask")),
  /** MSR_IA32_DS_AREA (0x600): which debug store (DS_NONE / DS_HOST / DS_GUEST). */
  dsArea: int(DS_NONE, DS_GUEST, meta("DS_AREA", "ds")),
  /** MSR_PEBS_DATA_CFG (0x3f2): adaptive PEBS record layout; a small group mask. */
  pebsDataCfg: bits(4, meta("PEBS_DATA_CFG", "mask")),
  /** IA32_PERFEVTSELk.EN (bit 22) of every GP counter, as a mask over k. */
  evtselEn: bits(MAX_GP_COUNTERS, meta("EVTSEL.EN", "counters")),
  /** IA32_PERFEVTSELk.INT (bit 20) of every GP counter, as a mask over k. */
  evtselInt: bits(MAX_GP_COUNTERS, meta("EVTSEL.INT", "counters")),
  /**
   * IA32_PMCk holds a period software wrote (x86_perf_event_set_period writes -left), so counting
   * can overflow it; an overflow wraps it to 0 (pmu.ts), and it cannot overflow again before the
   * next write. A mask over k.
   */
  ctrArmed: bits(MAX_GP_COUNTERS, meta("PMC armed", "counters")),
  /** Fixed counters enabled in IA32_FIXED_CTR_CTRL (with PMI), as a mask over j. */
  fixedEn: bits(8, meta("FIXED_CTR_CTRL", "counters", { hidden: true })),

  // --- Debug store in host memory ----------------------------------------------------------------
  /** Records in the host PEBS buffer (debug-store.ts packing); pebs_index = their count. */
  pebsRecords: bits(28, meta("pebs_index", "pebs-records")),
  /**
   * Counters whose PEBS_ENABLE bit was cleared while they counted, less than the quiescent period
   * ago: a latent PEBS assist of theirs may still happen (pebs.ts).
   */
  pebsLatent: bits(MAX_GP_COUNTERS, meta("latent PEBS (quiescent period)", "counters")),
  /** Per counter: instructions since its PEBS_ENABLE bit was cleared (meaningful while latent). */
  pebsLatentAge: array(
    MAX_GP_COUNTERS,
    0,
    MAX_QUIESCENT,
    meta("instructions since PEBS was disabled", "int", { hidden: true }),
  ),

  // --- Local APIC and NMI delivery ---------------------------------------------------------------
  /** LVTPC mask bit: set by the APIC when it delivers a PMI, cleared by the handler's ack. */
  lvtpcMasked: flag(meta("LVTPC", "lvtpc")),
  /**
   * LVTPC delivery mode: 0 APIC_DM_NMI (perf's), 1 APIC_DM_FIXED with
   * PERF_GUEST_MEDIATED_PMI_VECTOR 0xf5 (perf_load_guest_lvtpc, 7.1.5 arch/x86/events/core.c l.1777).
   */
  lvtpcVector: flag(meta("LVTPC delivery", "lvtpc-mode", { timeline: true })),
  /**
   * Vector 0xf5 requested in the local APIC's IRR, waiting for IF=1 or an external-interrupt
   * VM-exit: bit 0 for a PMI a guest-owned counter raised, bit 1 for a host-owned one (the
   * owner is the model's bookkeeping, not an architectural field).
   */
  vpmiIrr: bits(2, meta("IRR vector 0xf5 (from guest / host counter)", "owners")),
  /** A PMI a guest-owned counter raised was delivered as an NMI to the host (sticky; bookkeeping). */
  guestPmiAsNmi: flag(meta("guest counter's PMI delivered as NMI", "yes-no")),
  /** GLOBAL_STATUS bits set by counters holding guest values (bookkeeping, 0 outside the mediated vPMU). */
  statusGuest: bits(MAX_GP_COUNTERS, meta("GLOBAL_STATUS bits from guest counters", "counters", { hidden: true })),
  /** Who owns the counter behind the pending overflow PMI: bit 0 guest, bit 1 host (bookkeeping). */
  pmiOwner: bits(2, meta("pending PMI raised by (guest / host counter)", "owners", { hidden: true })),
  /**
   * Counters whose IA32_PERFEVTSELk and IA32_PMCk hold the guest's values (kvm_pmu_load_guest_pmcs
   * wrote them, kvm_pmu_put_guest_pmcs has not yet cleared them), as a mask over k.
   */
  evtselGuest: bits(MAX_GP_COUNTERS, meta("counters holding guest values", "counters", { timeline: true })),
  /** PMIs raised by the PMU and not yet delivered by the APIC: a mask of sources (apic.ts). */
  pmiPending: bits(2, meta("PMIs pending", "pmi-sources")),
  /** Instructions the interrupted context has run while a PMI was deliverable (capped at the latency bound). */
  pmiAge: int(0, MAX_WINDOW, meta("PMI age", "int", { hidden: true })),
  /** An NMI latched at the CPU, waiting for NMIs to be unblocked (0 or 1). */
  nmiLatched: flag(meta("NMI latched", "int")),
  /** NMIs blocked: set when an NMI is taken, cleared by the IRET that ends the handler. */
  nmiBlocked: flag(meta("NMIs blocked", "int")),

  // --- VMX (the current VMCS) --------------------------------------------------------------------
  /** VM-entry MSR-load list (vmx->msr_autoload.guest), packed entries (vmx-lists.ts), in order. */
  entryList: list(LIST_SLOTS, 0, ENTRY_LIMIT - 1, meta("VM-entry list", "msr-list", { timeline: true })),
  /** VM-exit MSR-load list (vmx->msr_autoload.host), packed entries, in order. */
  exitList: list(LIST_SLOTS, 0, ENTRY_LIMIT - 1, meta("VM-exit list", "msr-list", { timeline: true })),
  /** GUEST_IA32_PERF_GLOBAL_CTRL, loaded at VM-entry when VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL. */
  guestGlobalCtrlField: bits(16, meta("GUEST_IA32_PERF_GLOBAL_CTRL", "mask")),
  /** HOST_IA32_PERF_GLOBAL_CTRL, loaded at VM-exit when VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL. */
  hostGlobalCtrlField: bits(16, meta("HOST_IA32_PERF_GLOBAL_CTRL", "mask")),
  /**
   * VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL (bit 0), VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL (bit 1) and
   * VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL (bit 2; Sapphire Rapids and later).
   */
  globalCtrlLoadControls: bits(3, meta("VM_ENTRY/EXIT_LOAD_IA32_PERF_GLOBAL_CTRL", "load-controls")),
  /** The VM-exit MSR-store list holds IA32_PERF_GLOBAL_CTRL (vmx->msr_autostore, CPUs without the save control). */
  autostoreGlobalCtrl: flag(meta("VM-exit MSR-store list has GLOBAL_CTRL", "yes-no", { hidden: true })),
  /** Its slot's value: what the last VM-exit stored. */
  autostoreGlobalCtrlValue: bits(16, meta("MSR-store slot GLOBAL_CTRL", "mask")),

  // --- What the guest saw ------------------------------------------------------------------------
  /** 1 once a PEBS assist page-faulted in the guest (sticky). */
  guestPf: flag(meta("guest #PF at DS_AREA+0x38", "guest-pf")),
  /** DS_AREA at the first such fault: the guest faulted at its address + 0x38. */
  guestPfDs: int(DS_NONE, DS_GUEST, meta("DS_AREA of the guest #PF", "ds", { hidden: true })),
  /** PEBS records written into a guest's own debug store (capped at 3). */
  guestPebsRecords: int(0, 3, meta("guest PEBS records", "int")),
} as const;

export type HwSpec = typeof HW_SPEC;

/** Largest instruction window the state counts (PMI latency and the PEBS quiescent period). */
export { MAX_QUIESCENT, MAX_WINDOW };

/** The machine as a state view: fields read and written by name, stored packed by the explorer. */
export type HwState = ViewOf<HwSpec>;

export const ENTRY_LOAD_GLOBAL_CTRL = 1;
export const EXIT_LOAD_GLOBAL_CTRL = 2;
export const EXIT_SAVE_GLOBAL_CTRL = 4;

/** pmiOwner / vpmiIrr bits. */
export const OWNER_GUEST = 1;
export const OWNER_HOST = 2;

/** The machine at reset, before perf or KVM touched it: every field 0 but DS_AREA (DS_NONE). */
export function resetHw(s: HwState): void {
  s.dsArea = DS_NONE;
}

/** A layout of the hardware alone (unit tests of the hardware rules). */
export const HW_LAYOUT = defineState({ hw: HW_SPEC });

/** A fresh machine at reset, on its own (the world model embeds HW_SPEC in its own layout). */
export function initialHwState(): HwState {
  const s = HW_LAYOUT.create().hw;
  resetHw(s);
  return s;
}
