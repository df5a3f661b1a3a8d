import { DS_NONE } from "./debug-store.js";

/**
 * The machine as a plain value: numbers and two short arrays, no class instances, no closures.
 * Masks use the compressed layout of msr-index.ts. The explorer clones and fingerprints this
 * millions of times, so every field is a small integer.
 */
export interface HwState {
  /** 0: VMX root (host), 1: VMX non-root (guest). */
  mode: number;

  // --- PMU MSRs -------------------------------------------------------------------------------
  /** MSR_IA32_PEBS_ENABLE (0x3f1): bit k = PEBS on GP counter k. */
  pebsEnable: number;
  /** MSR_PEBS_DATA_CFG (0x3f2): adaptive PEBS record layout; opaque small value. */
  pebsDataCfg: number;
  /** MSR_IA32_DS_AREA (0x600): which debug store (DS_NONE / DS_HOST / DS_GUEST). */
  dsArea: number;
  /** MSR_CORE_PERF_GLOBAL_CTRL (0x38f). */
  globalCtrl: number;
  /** MSR_CORE_PERF_GLOBAL_STATUS (0x38e), including STATUS_BUFFER_OVF. */
  globalStatus: number;
  /** IA32_PERFEVTSELk.EN (bit 22) of every GP counter, as a mask over k. */
  evtselEn: number;
  /** IA32_PERFEVTSELk.INT (bit 20) of every GP counter, as a mask over k. */
  evtselInt: number;
  /** Fixed counters enabled in IA32_FIXED_CTR_CTRL (with PMI), as a mask over j. */
  fixedEn: number;

  // --- Debug store in host memory ----------------------------------------------------------------
  /** Records in the host PEBS buffer (debug-store.ts packing); pebs_index = their count. */
  pebsRecords: number;

  // --- Local APIC and NMI delivery ---------------------------------------------------------------
  /** LVTPC mask bit: set by the APIC when it delivers a PMI, cleared by the handler's ack. */
  lvtpcMasked: number;
  /** PMIs raised by the PMU and not yet delivered by the APIC: a mask of sources (apic.ts). */
  pmiPending: number;
  /** Steps the interrupted context has run while a PMI was deliverable (bounded delivery latency). */
  pmiAge: number;
  /** An NMI latched at the CPU, waiting for NMIs to be unblocked (0 or 1). */
  nmiLatched: number;
  /** NMIs blocked: set when an NMI is taken, cleared by the IRET that ends the handler. */
  nmiBlocked: number;

  // --- VMX (the current VMCS) --------------------------------------------------------------------
  /** GUEST_IA32_PERF_GLOBAL_CTRL, loaded at VM-entry when VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL. */
  guestGlobalCtrlField: number;
  /** HOST_IA32_PERF_GLOBAL_CTRL, loaded at VM-exit when VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL. */
  hostGlobalCtrlField: number;
  /** VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL (bit 0) and VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL (bit 1). */
  globalCtrlLoadControls: number;
  /**
   * VM-entry MSR-load list (vmx->msr_autoload.guest), packed entries (vmx-lists.ts), in order.
   * Lists are shared between a state and its clones: replace a list, never change one in place
   * (the readonly type enforces it).
   */
  entryList: readonly number[];
  /** VM-exit MSR-load list (vmx->msr_autoload.host), packed entries, in order; shared like entryList. */
  exitList: readonly number[];

  // --- What the guest saw ------------------------------------------------------------------------
  /** 1 once a PEBS assist page-faulted in the guest (sticky). */
  guestPf: number;
  /** DS_AREA at the first such fault: the guest faulted at its address + 0x38. */
  guestPfDs: number;
  /** PEBS records written into a guest's own debug store (capped at 3). */
  guestPebsRecords: number;
}

export const ENTRY_LOAD_GLOBAL_CTRL = 1;
export const EXIT_LOAD_GLOBAL_CTRL = 2;

/** The machine at reset, before perf or KVM touched it. */
export function initialHwState(): HwState {
  return {
    mode: 0,
    pebsEnable: 0,
    pebsDataCfg: 0,
    dsArea: DS_NONE,
    globalCtrl: 0,
    globalStatus: 0,
    evtselEn: 0,
    evtselInt: 0,
    fixedEn: 0,
    pebsRecords: 0,
    lvtpcMasked: 0,
    pmiPending: 0,
    pmiAge: 0,
    nmiLatched: 0,
    nmiBlocked: 0,
    guestGlobalCtrlField: 0,
    hostGlobalCtrlField: 0,
    globalCtrlLoadControls: 0,
    entryList: [],
    exitList: [],
    guestPf: 0,
    guestPfDs: DS_NONE,
    guestPebsRecords: 0,
  };
}

/**
 * Copy of a hardware state. Scalars are copied; the lists are shared, since nothing changes a
 * list in place (rules replace it), so a clone costs one object.
 */
export function cloneHw(s: HwState): HwState {
  return {
    mode: s.mode,
    pebsEnable: s.pebsEnable,
    pebsDataCfg: s.pebsDataCfg,
    dsArea: s.dsArea,
    globalCtrl: s.globalCtrl,
    globalStatus: s.globalStatus,
    evtselEn: s.evtselEn,
    evtselInt: s.evtselInt,
    fixedEn: s.fixedEn,
    pebsRecords: s.pebsRecords,
    lvtpcMasked: s.lvtpcMasked,
    pmiPending: s.pmiPending,
    pmiAge: s.pmiAge,
    nmiLatched: s.nmiLatched,
    nmiBlocked: s.nmiBlocked,
    guestGlobalCtrlField: s.guestGlobalCtrlField,
    hostGlobalCtrlField: s.hostGlobalCtrlField,
    globalCtrlLoadControls: s.globalCtrlLoadControls,
    entryList: s.entryList,
    exitList: s.exitList,
    guestPf: s.guestPf,
    guestPfDs: s.guestPfDs,
    guestPebsRecords: s.guestPebsRecords,
  };
}

/** Scalar fields in fingerprint order. A test checks this covers every scalar field of HwState. */
export const HW_SCALAR_FIELDS = [
  "mode",
  "pebsEnable",
  "pebsDataCfg",
  "dsArea",
  "globalCtrl",
  "globalStatus",
  "evtselEn",
  "evtselInt",
  "fixedEn",
  "pebsRecords",
  "lvtpcMasked",
  "pmiPending",
  "pmiAge",
  "nmiLatched",
  "nmiBlocked",
  "guestGlobalCtrlField",
  "hostGlobalCtrlField",
  "globalCtrlLoadControls",
  "guestPf",
  "guestPfDs",
  "guestPebsRecords",
] as const satisfies readonly (keyof HwState)[];
