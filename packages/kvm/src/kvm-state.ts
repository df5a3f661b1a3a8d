import type { StateSink } from "@switchlab/hardware";
import type { PerfWorld } from "@switchlab/perf";

/** Why the last VM-exit happened (the exit reasons the model distinguishes). */
export const EXIT_NONE = 0;
/** EXIT_REASON_EXCEPTION_NMI caused by an NMI (NMI exiting). */
export const EXIT_NMI = 1;
/** An exit vmx_exit_handlers_fastpath handles (MSR_WRITE to TSC_DEADLINE, preemption timer): may re-enter at once. */
export const EXIT_FASTPATH = 2;
/** Any other exit (HLT, I/O, EPT violation...): handled by vmx_handle_exit with IRQs on. */
export const EXIT_SLOW = 3;

export const EXIT_NAMES = ["none", "nmi", "fastpath", "slow"] as const;

/**
 * KVM's per-vCPU state as a plain value: the run loop's program counter, the locals of
 * atomic_switch_perf_msrs, the last exit reason, and what KVM printed.
 */
export interface KvmState {
  /** Program counter in the run-loop sequence. */
  pc: number;
  /** perf_guest_get_msrs' array as atomic_switch_perf_msrs holds it: [msr, host, guest] triples (shared by clones; replaced, never changed). */
  msrs: readonly number[];
  /** atomic_switch_perf_msrs' loop index i. */
  msrIdx: number;
  /** Reason of the last VM-exit (EXIT_*). */
  exitReason: number;
  /** VM round trips completed (VM-exits). */
  roundTrips: number;
  /** printk_once "Not enough msr switch entries" already printed. */
  switchFullPrinted: number;
  /** An MSR perf asked to switch was left unswitched because a list was full (sticky). */
  unswitched: number;
  /**
   * Watchdog, not state: run-loop steps since the last VM-exit. It is left out of the
   * fingerprint (states differing only here are the same state); the machine stops a policy
   * whose run loop exceeds its step budget without reaching a VM-exit.
   */
  watchdog: number;
}

export function initialKvmState(): KvmState {
  return {
    pc: 0,
    msrs: [],
    msrIdx: 0,
    exitReason: EXIT_NONE,
    roundTrips: 0,
    switchFullPrinted: 0,
    unswitched: 0,
    watchdog: 0,
  };
}

export function cloneKvm(s: KvmState): KvmState {
  return {
    pc: s.pc,
    msrs: s.msrs,
    msrIdx: s.msrIdx,
    exitReason: s.exitReason,
    roundTrips: s.roundTrips,
    switchFullPrinted: s.switchFullPrinted,
    unswitched: s.unswitched,
    watchdog: s.watchdog,
  };
}

export function writeKvm(s: KvmState, sink: StateSink): void {
  sink.add(s.pc);
  sink.add(s.msrs.length);
  for (const m of s.msrs) sink.add(m);
  sink.add(s.msrIdx);
  sink.add(s.exitReason);
  sink.add(s.roundTrips);
  sink.add(s.switchFullPrinted);
  sink.add(s.unswitched);
}

/** The part of the world KVM reads and writes. */
export interface KvmWorld extends PerfWorld {
  kvm: KvmState;
}
