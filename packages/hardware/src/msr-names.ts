import { dsAddressHex } from "./debug-store.js";
import {
  archHex,
  MAX_GP_COUNTERS,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  MSR_CORE_PERF_GLOBAL_STATUS,
  MSR_CORE_PERF_GLOBAL_STATUS_SET,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_IA32_PERFCTR0,
  MSR_OTHER_BASE,
  MSR_P6_EVNTSEL0,
  MSR_PEBS_DATA_CFG,
  MSR_X2APIC_LVTPC,
} from "./msr-index.js";

const NAMES: Record<number, string> = {
  [MSR_IA32_PEBS_ENABLE]: "PEBS_ENABLE",
  [MSR_PEBS_DATA_CFG]: "PEBS_DATA_CFG",
  [MSR_IA32_DS_AREA]: "DS_AREA",
  [MSR_CORE_PERF_GLOBAL_CTRL]: "GLOBAL_CTRL",
  [MSR_CORE_PERF_GLOBAL_STATUS]: "GLOBAL_STATUS",
  [MSR_CORE_PERF_GLOBAL_OVF_CTRL]: "GLOBAL_OVF_CTRL",
  [MSR_CORE_PERF_GLOBAL_STATUS_SET]: "GLOBAL_STATUS_SET",
  [MSR_X2APIC_LVTPC]: "APIC_LVTPC",
};

/** Short name of an MSR as traces and the ledger print it (PEBS_ENABLE, EVTSEL1, OTHER0...). */
export function msrName(msr: number): string {
  const n = NAMES[msr];
  if (n) return n;
  if (msr >= MSR_P6_EVNTSEL0 && msr < MSR_P6_EVNTSEL0 + MAX_GP_COUNTERS) return `EVTSEL${msr - MSR_P6_EVNTSEL0}`;
  if (msr >= MSR_IA32_PERFCTR0 && msr < MSR_IA32_PERFCTR0 + MAX_GP_COUNTERS) return `PMC${msr - MSR_IA32_PERFCTR0}`;
  if (msr >= MSR_OTHER_BASE) return `OTHER${msr - MSR_OTHER_BASE}`;
  return `MSR_0x${msr.toString(16)}`;
}

/** An MSR value as the kernel would print it: masks as architectural values, DS_AREA as an address. */
export function msrValueHex(msr: number, value: number): string {
  if (msr === MSR_IA32_DS_AREA) return dsAddressHex(value);
  if (msr >= MSR_P6_EVNTSEL0 && msr < MSR_P6_EVNTSEL0 + MAX_GP_COUNTERS) return `0x${value.toString(16)}`;
  return archHex(value);
}
