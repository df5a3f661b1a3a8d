import type { StateSink } from "@switchlab/hardware";

/**
 * perf's per-CPU state as a plain value: struct cpu_hw_events (arch/x86/events/perf_event.h),
 * the per-event struct hw_perf_event fields that matter, and the NMI layer's per-CPU variables
 * (arch/x86/kernel/nmi.c). Events are indexed by their position in the scenario's event table;
 * masks over counters use the compressed layout of @switchlab/hardware.
 */
export interface PerfState {
  /** cpuc->enabled: 0 while the PMU is globally disabled (x86_pmu_disable, and inside the PMI). */
  enabled: number;
  /** cpuc->pebs_enabled: perf's shadow of MSR_IA32_PEBS_ENABLE. */
  pebsEnabled: number;
  /** cpuc->intel_ctrl_guest_mask: counters of exclude_host events. */
  guestMask: number;
  /** cpuc->intel_ctrl_host_mask: counters of exclude_guest events. */
  hostMask: number;
  /** cpuc->active_mask: counters whose event is started. */
  activeMask: number;
  /** cpuc->events[counter]: event index + 1, 0 for NULL. */
  events: number[];
  /** Per event: hwc->idx, the counter it is assigned, or -1 when not scheduled. */
  evIdx: number[];
  /** Per event: hwc->interrupts in this tick; 0 = not yet this tick (interrupts_seq stale); -1 = MAX_INTERRUPTS. */
  evInterrupts: number[];
  /** Mask over events: hwc->state & PERF_HES_STOPPED. */
  evStopped: number;
  /** Mask over events: ARCH_PERFMON_EVENTSEL_INT in hwc->config (cleared by intel_pmu_pebs_enable). */
  evConfigInt: number;
  /** Mask over events: added by x86_pmu_add, to be started by the next x86_pmu_enable (cpuc->n_added). */
  evAdded: number;
  /** nmi.c last_nmi_rip: the program point the last NMI interrupted, -1 for none. */
  lastNmiRip: number;
  /** nmi.c swallow_nmi. */
  swallowNmi: number;
  /** "Uhhuh. NMI received for unknown reason" printed so far (capped at 3). */
  unknownNmis: number;
}

export const MAX_UNKNOWN_NMIS_COUNTED = 3;

export function initialPerfState(numEvents: number, numCounters: number): PerfState {
  return {
    enabled: 1,
    pebsEnabled: 0,
    guestMask: 0,
    hostMask: 0,
    activeMask: 0,
    events: new Array<number>(numCounters).fill(0),
    evIdx: new Array<number>(numEvents).fill(-1),
    evInterrupts: new Array<number>(numEvents).fill(0),
    evStopped: (1 << numEvents) - 1,
    evConfigInt: (1 << numEvents) - 1,
    evAdded: 0,
    lastNmiRip: -1,
    swallowNmi: 0,
    unknownNmis: 0,
  };
}

export function clonePerf(s: PerfState): PerfState {
  return {
    enabled: s.enabled,
    pebsEnabled: s.pebsEnabled,
    guestMask: s.guestMask,
    hostMask: s.hostMask,
    activeMask: s.activeMask,
    events: s.events.slice(),
    evIdx: s.evIdx.slice(),
    evInterrupts: s.evInterrupts.slice(),
    evStopped: s.evStopped,
    evConfigInt: s.evConfigInt,
    evAdded: s.evAdded,
    lastNmiRip: s.lastNmiRip,
    swallowNmi: s.swallowNmi,
    unknownNmis: s.unknownNmis,
  };
}

/** Write every field into a sink (arrays have a fixed length per scenario). */
export function writePerf(s: PerfState, sink: StateSink): void {
  sink.add(s.enabled);
  sink.add(s.pebsEnabled);
  sink.add(s.guestMask);
  sink.add(s.hostMask);
  sink.add(s.activeMask);
  for (const e of s.events) sink.add(e);
  for (const e of s.evIdx) sink.add(e);
  for (const e of s.evInterrupts) sink.add(e);
  sink.add(s.evStopped);
  sink.add(s.evConfigInt);
  sink.add(s.evAdded);
  sink.add(s.lastNmiRip);
  sink.add(s.swallowNmi);
  sink.add(s.unknownNmis);
}
