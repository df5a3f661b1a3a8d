/**
 * The debug store (struct debug_store, arch/x86/include/asm/intel_ds.h, v5.11 = v6.16):
 * u64 fields at these offsets from DS_AREA.
 */
export const DS_OFFSET = {
  bts_buffer_base: 0x00,
  bts_index: 0x08,
  bts_absolute_maximum: 0x10,
  bts_interrupt_threshold: 0x18,
  pebs_buffer_base: 0x20,
  pebs_index: 0x28,
  pebs_absolute_maximum: 0x30,
  pebs_interrupt_threshold: 0x38,
  pebs_event_reset: 0x40,
} as const;

/**
 * What DS_AREA points at. The real MSR holds a linear address; the model keeps which debug store
 * it is, because only that decides what a PEBS assist does (see pebs.ts).
 */
export const DS_NONE = 0;
/** The host's per-CPU debug store (perf's `cpuc->ds`, mapped in the cpu_entry_area). */
export const DS_HOST = 1;
/** A guest's debug store (guest PEBS, v6.16 with EPT-friendly PEBS). */
export const DS_GUEST = 2;

/**
 * Linear addresses used when rendering DS_AREA. The host value is illustrative: a cpu_entry_area
 * address of the shape seen in the 2020 and 2021 reports (the oops address ended in ...038).
 */
export const DS_ADDRESS: Readonly<Record<number, bigint>> = {
  [DS_NONE]: 0n,
  [DS_HOST]: 0xfffffe000000c000n,
  [DS_GUEST]: 0x00000000001f0000n,
};

/** Render a DS_AREA model value as the address it stands for. */
export function dsAddressHex(ds: number): string {
  const a = DS_ADDRESS[ds];
  return a === undefined ? `<ds ${ds}>` : `0x${a.toString(16)}`;
}

/** The address a PEBS assist reads first: DS_AREA + 0x38 (pebs_interrupt_threshold). */
export function pebsThresholdAddress(ds: number): bigint {
  return (DS_ADDRESS[ds] ?? 0n) + BigInt(DS_OFFSET.pebs_interrupt_threshold);
}

/**
 * PEBS records in the host buffer, packed: 4 bits per record holding (counter + 1), oldest in the
 * low bits. pebs_index is the number of records; at most 7 fit the packing.
 */
export const MAX_PEBS_RECORDS = 7;

export function pebsRecordCount(records: number): number {
  let n = 0;
  for (let r = records; r !== 0; r >>>= 4) n++;
  return n;
}

export function pebsRecordAppend(records: number, counter: number): number {
  return records | ((counter + 1) << (4 * pebsRecordCount(records)));
}

/** Counters of the records, oldest first. */
export function pebsRecordCounters(records: number): number[] {
  const out: number[] = [];
  for (let r = records; r !== 0; r >>>= 4) out.push((r & 0xf) - 1);
  return out;
}
