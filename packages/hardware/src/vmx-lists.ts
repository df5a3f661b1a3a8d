/**
 * The VMCS MSR-load lists (Intel SDM Vol. 3C 25.7.2 and 25.8.2): arrays in memory that the VMCS
 * points at; KVM keeps them in vmx->msr_autoload.guest/.host (struct vmx_msrs, vmx.h).
 *
 * A list entry is packed as msr * 0x10000 + value: model values fit 16 bits (msr-index.ts) and
 * MSR numbers fit the 53-bit safe range. Order is kept; the CPU loads entries in list order.
 */
export const ENTRY_VALUE_LIMIT = 0x10000;

export function packEntry(msr: number, value: number): number {
  if (value < 0 || value >= ENTRY_VALUE_LIMIT || !Number.isInteger(value)) {
    throw new RangeError(`MSR-load list value ${value} for MSR 0x${msr.toString(16)} does not fit the model's 16 bits`);
  }
  return msr * ENTRY_VALUE_LIMIT + value;
}

export function entryMsr(e: number): number {
  return Math.floor(e / ENTRY_VALUE_LIMIT);
}

export function entryValue(e: number): number {
  return e % ENTRY_VALUE_LIMIT;
}

/** Slot of an MSR in a list, or -1 (what vmx_find_loadstore_msr_slot returns). */
export function listFind(list: readonly number[], msr: number): number {
  for (let i = 0; i < list.length; i++) if (entryMsr(list[i] as number) === msr) return i;
  return -1;
}

/**
 * Store msr = value: the list with its slot overwritten if present, else with the entry
 * appended if the list has room; undefined when the list is full (the caller, KVM, decides what
 * to print). The given list is not changed.
 */
export function listPut(list: readonly number[], msr: number, value: number, capacity: number): number[] | undefined {
  const i = listFind(list, msr);
  if (i >= 0) {
    const out = list.slice();
    out[i] = packEntry(msr, value);
    return out;
  }
  if (list.length >= capacity) return undefined;
  return [...list, packEntry(msr, value)];
}

/**
 * Remove an MSR's entry the way clear_atomic_switch_msr does (vmx.c, v5.11 and v6.16): the last
 * entry moves into the freed slot, so order is kept for every other entry but that one.
 * Returns the new list, or the same list when the MSR is not on it.
 */
export function listRemove(list: readonly number[], msr: number): readonly number[] {
  const i = listFind(list, msr);
  if (i < 0) return list;
  const out = list.slice();
  const last = out.pop() as number;
  if (i < out.length) out[i] = last;
  return out;
}
