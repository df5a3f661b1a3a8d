import { defineState } from "@switchlab/explorer";
import { DS_HOST, HW_SPEC, type HwConfig, MSR_IA32_DS_AREA, resetHw, wrmsr } from "@switchlab/hardware";
import { container } from "tsyringe";
import { PERF_SPEC, resetPerf } from "../cpu-hw-events.js";
import type { KernelObserver, KernelVersion, PerfEnv, PerfWorld, X86Pmu } from "../env.js";
import { hostPebsEvent, hostSamplingEvent, kvmGuestCounterEvent, type PerfEventSpec } from "../perf-event.js";
import { registerPerf, resolvePerfKernel } from "../services.js";

export const HW: HwConfig = { numGp: 4, numFixed: 3, pebsThresholdRecords: 1, pebsMaxRecords: 2, pebsIsolation: false };
export const PMU: X86Pmu = {
  intelCtrl: 0x70f,
  pebs: true,
  pebsNoIsolation: true,
  pebsBaseline: false,
  pebsAll: false,
  pebsEpt: false,
  lateAck: true,
  pebsCounterMask: 0xff,
};
export const EVENTS: PerfEventSpec[] = [
  hostPebsEvent("cycles:pp"),
  hostSamplingEvent("instructions"),
  kvmGuestCounterEvent("kvm-pmc0"),
];
export const PEBS = 0;
export const SAMPLING = 1;
export const GUEST = 2;

export interface Log extends KernelObserver {
  readonly lines: string[];
  readonly printks: string[];
  readonly writes: string[];
}

export function log(): Log {
  const l: Log = {
    lines: [],
    printks: [],
    writes: [],
    msrWrite: (k, m, b, a) => {
      l.writes.push(`${k} 0x${m.toString(16)} ${b.toString(16)}->${a.toString(16)}`);
    },
    event: (t) => {
      l.lines.push(t);
    },
    roundTripDone: () => {},
    printk: (t) => {
      l.printks.push(t);
    },
    call: (f, d) => {
      l.lines.push(`${f}: ${typeof d === "function" ? d() : d}`);
    },
  };
  return l;
}

export function env(
  opts: { pmu?: Partial<X86Pmu>; kernel?: KernelVersion; maxSamplesPerTick?: number } = {},
): PerfEnv & { obs: Log } {
  const c = registerPerf(container.createChildContainer());
  return {
    hw: HW,
    pmu: { ...PMU, ...opts.pmu },
    perf: {
      kernel: opts.kernel ?? "v5.11",
      maxSamplesPerTick: opts.maxSamplesPerTick ?? 2,
      events: EVENTS,
      cpu: 3,
      nmiReason: 0x2d,
    },
    obs: log(),
    k: resolvePerfKernel(c),
  };
}

/** The hardware and perf parts of the world, on their own. */
export const PERF_WORLD = defineState({ hw: HW_SPEC, perf: PERF_SPEC });

/** A world with the PMU enabled, the host DS in DS_AREA, and the given events started. */
export function world(e: PerfEnv, started: { event: number; counter: number }[] = []): PerfWorld {
  const w: PerfWorld = PERF_WORLD.create();
  resetHw(w.hw);
  resetPerf(w.perf, EVENTS.length);
  wrmsr(w.hw, MSR_IA32_DS_AREA, DS_HOST, e.obs);
  e.k.x86.x86PmuDisable(w, e);
  for (const s of started) e.k.x86.x86PmuAdd(w, e, s.event, s.counter);
  e.k.x86.x86PmuEnable(w, e);
  return w;
}
