import {
  ARCH_PERFMON_EVENTSEL_ENABLE_BIT,
  ARCH_PERFMON_EVENTSEL_INT_BIT,
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
} from "./msr-index.js";
import type { HwObserver, MsrLoadKind } from "./observer.js";
import { pebsEnableWritten } from "./pebs.js";
import type { HwState } from "./state.js";

/** IA32_PERFEVTSELk value with EN and/or INT (the event code is not modelled). */
export function evtselValue(en: boolean, int: boolean): number {
  return (en ? 1 << ARCH_PERFMON_EVENTSEL_ENABLE_BIT : 0) | (int ? 1 << ARCH_PERFMON_EVENTSEL_INT_BIT : 0);
}

/** Thrown for an access the modelled CPU would #GP on; a model bug, never a scenario outcome. */
export class MsrAccessError extends Error {}

/**
 * What IA32_PMCk holds once software armed it: counter values are abstracted (pmu.ts), so any
 * period perf writes ((u64)(-left) & cntval_mask) reads back as this one value, and a counter
 * an overflow wrapped reads 0.
 */
export const PMC_PERIOD = 0xff00;

/**
 * RDMSR of a modelled MSR. IA32_PMCk reads PMC_PERIOD while armed, 0 after an overflow wrapped
 * it. Other MSRs read 0.
 */
export function rdmsr(s: HwState, msr: number): number {
  switch (msr) {
    case MSR_IA32_PEBS_ENABLE:
      return s.pebsEnable;
    case MSR_PEBS_DATA_CFG:
      return s.pebsDataCfg;
    case MSR_IA32_DS_AREA:
      return s.dsArea;
    case MSR_CORE_PERF_GLOBAL_CTRL:
      return s.globalCtrl;
    case MSR_CORE_PERF_GLOBAL_STATUS:
      return s.globalStatus;
    default: {
      const k = msr - MSR_P6_EVNTSEL0;
      if (k >= 0 && k < MAX_GP_COUNTERS) {
        return evtselValue(((s.evtselEn >>> k) & 1) === 1, ((s.evtselInt >>> k) & 1) === 1);
      }
      const c = msr - MSR_IA32_PERFCTR0;
      if (c >= 0 && c < MAX_GP_COUNTERS) return (s.ctrArmed >>> c) & 1 ? PMC_PERIOD : 0;
      return 0;
    }
  }
}

/**
 * Write an MSR (by WRMSR or by a VMX load) and report it to the observer.
 * GLOBAL_OVF_CTRL is write-1-to-clear on GLOBAL_STATUS; GLOBAL_STATUS itself is read-only.
 */
export function writeMsr(s: HwState, msr: number, value: number, kind: MsrLoadKind, obs: HwObserver): void {
  const before = rdmsr(s, msr);
  switch (msr) {
    case MSR_IA32_PEBS_ENABLE:
      pebsEnableWritten(s, s.pebsEnable, value);
      s.pebsEnable = value;
      break;
    case MSR_PEBS_DATA_CFG:
      s.pebsDataCfg = value;
      break;
    case MSR_IA32_DS_AREA:
      s.dsArea = value;
      break;
    case MSR_CORE_PERF_GLOBAL_CTRL:
      s.globalCtrl = value;
      break;
    case MSR_CORE_PERF_GLOBAL_OVF_CTRL:
      s.globalStatus &= ~value;
      s.statusGuest &= s.globalStatus;
      break;
    case MSR_CORE_PERF_GLOBAL_STATUS_SET:
      s.globalStatus |= value;
      break;
    case MSR_CORE_PERF_GLOBAL_STATUS:
      throw new MsrAccessError("WRMSR to read-only IA32_PERF_GLOBAL_STATUS (#GP)");
    default: {
      const k = msr - MSR_P6_EVNTSEL0;
      if (k >= 0 && k < MAX_GP_COUNTERS) {
        const bit = 1 << k;
        s.evtselEn = value & (1 << ARCH_PERFMON_EVENTSEL_ENABLE_BIT) ? s.evtselEn | bit : s.evtselEn & ~bit;
        s.evtselInt = value & (1 << ARCH_PERFMON_EVENTSEL_INT_BIT) ? s.evtselInt | bit : s.evtselInt & ~bit;
      } else if (msr >= MSR_IA32_PERFCTR0 && msr < MSR_IA32_PERFCTR0 + MAX_GP_COUNTERS) {
        // A counter written with a non-zero value holds a period: it can overflow again.
        const bit = 1 << (msr - MSR_IA32_PERFCTR0);
        s.ctrArmed = value !== 0 ? s.ctrArmed | bit : s.ctrArmed & ~bit;
      } else if (msr < MSR_OTHER_BASE) {
        throw new MsrAccessError(`WRMSR to unmodelled MSR 0x${msr.toString(16)}`);
      }
    }
  }
  // GLOBAL_OVF_CTRL and GLOBAL_STATUS_SET are write-only: report the value written.
  const writeOnly = msr === MSR_CORE_PERF_GLOBAL_OVF_CTRL || msr === MSR_CORE_PERF_GLOBAL_STATUS_SET;
  obs.msrWrite(kind, msr, before, writeOnly ? value : rdmsr(s, msr));
}

/** WRMSR from host code (wrmsrl). */
export function wrmsr(s: HwState, msr: number, value: number, obs: HwObserver): void {
  writeMsr(s, msr, value, "wrmsr", obs);
}
