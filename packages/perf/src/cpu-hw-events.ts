import type { ViewOf } from "@switchlab/explorer";
import { array, bits, flag, forgettable, int } from "@switchlab/explorer";
import { MAX_GP_COUNTERS, meta } from "@switchlab/hardware";

/** Most events a scenario may declare (the per-event arrays of the state have this length). */
export const MAX_EVENTS = 6;
/** Counters cpuc->events[] covers (GP counters). */
export const MAX_COUNTERS = MAX_GP_COUNTERS;
/** "Uhhuh. NMI received for unknown reason" printed so far, counted up to this. */
export const MAX_UNKNOWN_NMIS_COUNTED = 3;
/** Highest nmi.c rip the model numbers (run-loop and host-activity program points). */
export const MAX_RIP = 0xfff;
/** last_nmi_rip forgotten where nothing reads it (nmi.ts forgetDeadRip): the rip was in the switch window. */
export const RIP_FORGOTTEN_IN_WINDOW = -3;
/** last_nmi_rip forgotten where nothing reads it: the rip was outside the switch window, or there was none. */
export const RIP_FORGOTTEN = -2;

/**
 * perf's per-CPU state, declared once: struct cpu_hw_events (arch/x86/events/perf_event.h), the
 * per-event struct hw_perf_event fields that matter, and the NMI layer's per-CPU variables
 * (arch/x86/kernel/nmi.c). Events are indexed by their position in the scenario's event table;
 * masks over counters use the compressed layout of @switchlab/hardware. Per-event arrays have
 * MAX_EVENTS slots; slots past the scenario's events stay at their initial values.
 */
export const PERF_SPEC = {
  /** cpuc->enabled: 0 while the PMU is globally disabled (x86_pmu_disable, and inside the PMI). */
  enabled: flag(meta("cpuc->enabled", "int")),
  /** cpuc->pebs_enabled: perf's shadow of MSR_IA32_PEBS_ENABLE. */
  pebsEnabled: bits(16, meta("cpuc->pebs_enabled", "mask", { timeline: true })),
  /** cpuc->active_pebs_data_cfg: the PEBS record groups perf last wrote to MSR_PEBS_DATA_CFG. */
  activePebsDataCfg: bits(4, meta("cpuc->active_pebs_data_cfg", "mask")),
  /** cpuc->intel_ctrl_guest_mask: counters of exclude_host events. */
  guestMask: bits(16, meta("cpuc->intel_ctrl_guest_mask", "mask")),
  /** cpuc->intel_ctrl_host_mask: counters of exclude_guest events. */
  hostMask: bits(16, meta("cpuc->intel_ctrl_host_mask", "mask")),
  /** cpuc->active_mask: counters whose event is started. */
  activeMask: bits(16, meta("cpuc->active_mask", "counters")),
  /** cpuc->events[counter]: event index + 1, 0 for NULL. */
  events: array(MAX_COUNTERS, 0, MAX_EVENTS, meta("cpuc->events", "event-slot")),
  /** Per event: hwc->interrupts in this tick; 0 = not yet this tick (interrupts_seq stale); -1 = MAX_INTERRUPTS. */
  evInterrupts: array(MAX_EVENTS, -1, 30, meta("hw.interrupts", "interrupts", { perEvent: true })),
  /** Per event: hwc->idx, the counter it is assigned, or -1 when not scheduled. */
  evIdx: array(MAX_EVENTS, -1, MAX_COUNTERS - 1, meta("hw.idx", "int", { perEvent: true })),
  /** Mask over events: hwc->state & PERF_HES_STOPPED. */
  evStopped: bits(MAX_EVENTS, meta("PERF_HES_STOPPED", "counters", { hidden: true })),
  /** Mask over events: ARCH_PERFMON_EVENTSEL_INT in hwc->config (cleared by intel_pmu_pebs_enable). */
  evConfigInt: bits(MAX_EVENTS, meta("hwc->config INT", "counters", { hidden: true })),
  /** Mask over events: added by x86_pmu_add, to be started by the next x86_pmu_enable (cpuc->n_added). */
  evAdded: bits(MAX_EVENTS, meta("cpuc->n_added", "counters", { hidden: true })),
  /**
   * kernel/events/core.c's per-CPU guest_ctx_loaded (7.1.5 l.475): set last by
   * perf_load_guest_context, cleared last by perf_put_guest_context (the mediated vPMU).
   */
  guestCtxLoaded: flag(meta("perf guest_ctx_loaded", "yes-no", { timeline: true })),
  /**
   * arch/x86/events/core.c's per-CPU guest_lvtpc_loaded (7.1.5 l.60): while set,
   * perf_event_nmi_handler returns NMI_DONE at once.
   */
  guestLvtpcLoaded: flag(meta("perf guest_lvtpc_loaded", "yes-no", { timeline: true })),
  /**
   * nmi.c last_nmi_rip: the program point the last NMI interrupted, -1 for none. The explorer
   * stores RIP_FORGOTTEN or RIP_FORGOTTEN_IN_WINDOW where no code will read it (forgetDeadRip in
   * nmi.ts); a read of either through a view is counted (explorer's IntField.forgotten).
   */
  lastNmiRip: forgettable(int(RIP_FORGOTTEN_IN_WINDOW, MAX_RIP, meta("nmi last_nmi_rip", "rip")), 2),
  /**
   * Another NMI_LOCAL handler has this NMI to claim: the NMI came from another source (an IPI
   * backtrace: this CPU's bit in nmi_cpu_backtrace's backtrace_mask, lib/nmi_backtrace.c), and
   * nmi_handle counts that handler's return in `handled` beside perf's. Cleared by default_do_nmi.
   */
  otherNmiClaim: flag(meta("NMI from another source", "yes-no")),
  /** nmi.c swallow_nmi. */
  swallowNmi: flag(meta("nmi swallow_nmi", "int")),
  /** "Uhhuh. NMI received for unknown reason" printed so far (capped at 3). */
  unknownNmis: int(0, MAX_UNKNOWN_NMIS_COUNTED, meta("unknown NMIs", "int")),
  /**
   * 1 once an unknown NMI followed an NMI that handled more than one PMI (swallow_nmi armed) but
   * came too late to be back to back: the "NMI processed prematurely" case of nmi.c's comment.
   */
  lateSecondNmi: flag(meta("late second-half NMI", "int")),
} as const;

export type PerfState = ViewOf<typeof PERF_SPEC>;

/** perf's state at boot with `numEvents` events, none scheduled (every event stopped, INT in its config). */
export function resetPerf(s: PerfState, numEvents: number): void {
  if (numEvents > MAX_EVENTS) throw new RangeError(`at most ${MAX_EVENTS} events, got ${numEvents}`);
  s.enabled = 1;
  s.evIdx.fill(-1);
  s.evStopped = (1 << numEvents) - 1;
  s.evConfigInt = (1 << numEvents) - 1;
  s.lastNmiRip = -1;
}
