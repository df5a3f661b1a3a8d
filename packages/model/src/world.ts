import { cloneHw, type HwState, StateHasher, type StateSink, writeHw } from "@switchlab/hardware";
import { cloneKvm, type KvmState, type KvmWorld, writeKvm } from "@switchlab/kvm";
import { clonePerf, type PerfState, writePerf } from "@switchlab/perf";

/** The host context with IRQs on, between run-loop iterations: which activity runs, and where. */
export interface HostState {
  /** 0: none; 1: the perf tick; 2 + i: scheduling activity i. */
  act: number;
  /** Program counter in that activity's sequence. */
  pc: number;
  /** Mask of scheduling activities already done (each runs at most once). */
  used: number;
}

/** What the scenario still allows to happen asynchronously. */
export interface BudgetState {
  overflows: number;
  /** Overflows taken so far by each event (for the scenario's per-event limit). */
  evOverflows: number[];
  nmis: number;
  ticks: number;
}

/** The whole world: one plain value the explorer owns. */
export interface World extends KvmWorld {
  hw: HwState;
  perf: PerfState;
  kvm: KvmState;
  host: HostState;
  budget: BudgetState;
  /** State a policy's patch adds (SwitchPolicy.stateSlots), owned by the policy. */
  ext: number[];
}

export function cloneWorld(w: World): World {
  return {
    hw: cloneHw(w.hw),
    perf: clonePerf(w.perf),
    kvm: cloneKvm(w.kvm),
    host: { act: w.host.act, pc: w.host.pc, used: w.host.used },
    budget: {
      overflows: w.budget.overflows,
      evOverflows: w.budget.evOverflows.slice(),
      nmis: w.budget.nmis,
      ticks: w.budget.ticks,
    },
    ext: w.ext.slice(),
  };
}

export function writeWorld(w: World, sink: StateSink): void {
  writeHw(w.hw, sink);
  writePerf(w.perf, sink);
  writeKvm(w.kvm, sink);
  sink.add(w.host.act);
  sink.add(w.host.pc);
  sink.add(w.host.used);
  sink.add(w.budget.overflows);
  for (const n of w.budget.evOverflows) sink.add(n);
  sink.add(w.budget.nmis);
  sink.add(w.budget.ticks);
  for (const x of w.ext) sink.add(x);
}

const hasher = new StateHasher();

/** 53-bit fingerprint of a world. */
export function fingerprintWorld(w: World): number {
  hasher.reset();
  writeWorld(w, hasher);
  return hasher.value();
}

/** PEBS_ENABLE bits the MSR has and cpuc->pebs_enabled does not: a stale host bit. */
export function staleBits(w: World): number {
  return w.hw.pebsEnable & ~w.perf.pebsEnabled;
}

/**
 * The host's PEBS bits of the MSR and of perf, without the counters of exclude_host events
 * (guest PEBS counters, v6.16): the exit list restores `cpuc->pebs_enabled & ~guest_mask`.
 */
export function hostPebsFresh(w: World): boolean {
  const host = ~w.perf.guestMask;
  return (w.hw.pebsEnable & host) === (w.perf.pebsEnabled & host);
}
