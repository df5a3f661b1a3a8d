/**
 * MSR numbers and bit positions, after arch/x86/include/asm/msr-index.h and
 * arch/x86/include/asm/perf_event.h (v5.11 and v6.16 agree on every value used here).
 *
 * Model bit layout. JavaScript bit operators work on 32 bits, and the hot path must not use
 * BigInt, so 64-bit PMU masks are kept in a compressed 32-bit form:
 *
 * | model bit | architectural bit | meaning                                             |
 * |-----------|-------------------|-----------------------------------------------------|
 * | 0..7      | 0..7              | general-purpose counter k                           |
 * | 8..15     | 32..39            | fixed counter j (model bit 8 + j)                   |
 * | 30        | 62                | GLOBAL_STATUS.BUFFER_OVF (PEBS threshold reached)   |
 *
 * Renderers convert back with {@link toArchitectural}. PEBS_ENABLE's load-latency bits (k + 32,
 * PMU version < 5) and bit 63 (PEBS store) are not modelled: no scenario uses load-latency or
 * store events, and no verdict depends on them.
 */

export const MSR_IA32_PEBS_ENABLE = 0x3f1;
export const MSR_PEBS_DATA_CFG = 0x3f2;
export const MSR_IA32_DS_AREA = 0x600;
export const MSR_CORE_PERF_GLOBAL_STATUS = 0x38e;
export const MSR_CORE_PERF_GLOBAL_CTRL = 0x38f;
export const MSR_CORE_PERF_GLOBAL_OVF_CTRL = 0x390;
/** IA32_PERF_GLOBAL_STATUS_SET (architectural PMU v4, SDM Vol. 3B 21.2.4): write 1 to set a status bit. */
export const MSR_CORE_PERF_GLOBAL_STATUS_SET = 0x391;
/** The x2APIC LVT performance-monitoring register (SDM Vol. 3A 11.12.1.2): apic_write(APIC_LVTPC) is a WRMSR to it. */
export const MSR_X2APIC_LVTPC = 0x834;
/** IA32_PERFEVTSELk = MSR_P6_EVNTSEL0 + k. */
export const MSR_P6_EVNTSEL0 = 0x186;
/** IA32_PMCk = MSR_IA32_PERFCTR0 + k. */
export const MSR_IA32_PERFCTR0 = 0xc1;
/** Stand-ins for "other MSRs" that scenarios put on the switch lists (e.g. MSR_EFER is 0xc0000080). */
export const MSR_OTHER_BASE = 0x10000;

/** ARCH_PERFMON_EVENTSEL_INT: raise a PMI on overflow. */
export const ARCH_PERFMON_EVENTSEL_INT_BIT = 20;
/** ARCH_PERFMON_EVENTSEL_ENABLE. */
export const ARCH_PERFMON_EVENTSEL_ENABLE_BIT = 22;
/** GLOBAL_STATUS_BUFFER_OVF_BIT (architectural 62). */
export const GLOBAL_STATUS_BUFFER_OVF_ARCH_BIT = 62;

/** Largest number of GP counters the compressed layout holds. */
export const MAX_GP_COUNTERS = 8;
/** Largest number of fixed counters the compressed layout holds. */
export const MAX_FIXED_COUNTERS = 8;
/** Model bit of fixed counter 0 (architectural bit 32, INTEL_PMC_IDX_FIXED). */
export const FIXED_BASE_BIT = 8;
/** Model bit of GLOBAL_STATUS.BUFFER_OVF. */
export const STATUS_BUFFER_OVF = 1 << 30;

/** Mask with the low n bits set. */
export function lowMask(n: number): number {
  return n >= 32 ? -1 : (1 << n) - 1;
}

/** x86_pmu.intel_ctrl: every GP and fixed counter the profile has. */
export function intelCtrlMask(numGp: number, numFixed: number): number {
  return lowMask(numGp) | (lowMask(numFixed) << FIXED_BASE_BIT);
}

/** The architectural 64-bit value of a model mask. */
export function toArchitectural(model: number): bigint {
  let v = BigInt(model & 0xff);
  v |= BigInt((model >>> FIXED_BASE_BIT) & 0xff) << 32n;
  if (model & STATUS_BUFFER_OVF) v |= 1n << 62n;
  return v;
}

/** Hex rendering of a model mask as the architectural value, as the kernel prints MSRs. */
export function archHex(model: number): string {
  return `0x${toArchitectural(model).toString(16)}`;
}

/** Index of every set bit of a mask, lowest first. */
export function bitsOf(mask: number): number[] {
  const out: number[] = [];
  for (let m = mask >>> 0, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) out.push(i);
  return out;
}
