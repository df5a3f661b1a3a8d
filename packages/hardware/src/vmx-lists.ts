import type { IntList } from "@switchlab/explorer";
import {
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  MSR_CORE_PERF_GLOBAL_STATUS,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_IA32_PERFCTR0,
  MSR_OTHER_BASE,
  MSR_P6_EVNTSEL0,
  MSR_PEBS_DATA_CFG,
} from "./msr-index.js";

/**
 * The VMCS MSR-load lists (Intel SDM Vol. 3C 25.7.2 and 25.8.2): arrays in memory that the VMCS
 * points at; KVM keeps them in vmx->msr_autoload.guest/.host (struct vmx_msrs, vmx.h), at most
 * MAX_NR_LOADSTORE_MSRS (8) entries each.
 *
 * In the state a list is a list field of packed entries, `code << 16 | value`: the MSR by its
 * index in LIST_MSRS (every MSR the model can put on a list) and a value of at most 16 bits (model
 * values fit, msr-index.ts). Order is kept; the CPU loads entries in list order.
 */
export const LIST_SLOTS = 8;

/** MSRs a list entry can name, by code: the PMU MSRs, EVTSEL0-7, PMC0-7, and 16 stand-ins for other MSRs. */
export const LIST_MSRS: readonly number[] = [
  MSR_IA32_PEBS_ENABLE,
  MSR_PEBS_DATA_CFG,
  MSR_IA32_DS_AREA,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_CORE_PERF_GLOBAL_STATUS,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  ...Array.from({ length: 8 }, (_, k) => MSR_P6_EVNTSEL0 + k),
  ...Array.from({ length: 8 }, (_, k) => MSR_IA32_PERFCTR0 + k),
  ...Array.from({ length: 16 }, (_, i) => MSR_OTHER_BASE + i),
];

export const ENTRY_VALUE_LIMIT = 0x10000;
/** One more than the largest packed entry. */
export const ENTRY_LIMIT = LIST_MSRS.length * ENTRY_VALUE_LIMIT;

const CODE = new Map(LIST_MSRS.map((m, i) => [m, i]));

export function packEntry(msr: number, value: number): number {
  const code = CODE.get(msr);
  if (code === undefined)
    throw new RangeError(`MSR 0x${msr.toString(16)} cannot be put on an MSR-load list in the model`);
  if (value < 0 || value >= ENTRY_VALUE_LIMIT || !Number.isInteger(value)) {
    throw new RangeError(`MSR-load list value ${value} for MSR 0x${msr.toString(16)} does not fit the model's 16 bits`);
  }
  return code * ENTRY_VALUE_LIMIT + value;
}

export function entryMsr(e: number): number {
  return LIST_MSRS[Math.floor(e / ENTRY_VALUE_LIMIT)] as number;
}

export function entryValue(e: number): number {
  return e % ENTRY_VALUE_LIMIT;
}

/** Slot of an MSR in a list, or -1 (what vmx_find_loadstore_msr_slot returns). */
export function listFind(list: IntList, msr: number): number {
  const code = CODE.get(msr);
  if (code === undefined) return -1;
  for (let i = 0; i < list.length; i++) if (Math.floor(list.at(i) / ENTRY_VALUE_LIMIT) === code) return i;
  return -1;
}

/**
 * Store msr = value: the slot overwritten if the MSR is on the list, else the entry appended if
 * there is room (`capacity`, KVM's limit). Returns false, with the list unchanged, when it is
 * full (the caller, KVM, decides what to print).
 */
export function listPut(list: IntList, msr: number, value: number, capacity: number): boolean {
  const i = listFind(list, msr);
  if (i >= 0) {
    list.set(i, packEntry(msr, value));
    return true;
  }
  if (list.length >= capacity) return false;
  return list.push(packEntry(msr, value));
}

/**
 * Remove an MSR's entry the way clear_atomic_switch_msr does (vmx.c, v5.11 and v6.16): the last
 * entry moves into the freed slot, so order is kept for every other entry but that one.
 * Returns whether the MSR was on the list.
 */
export function listRemove(list: IntList, msr: number): boolean {
  const i = listFind(list, msr);
  if (i < 0) return false;
  list.removeSwapLast(i);
  return true;
}
