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
  nmis: number;
  ticks: number;
}

/** History the bounded-persistence property needs (a monitor, part of the state). */
export interface MonitorState {
  /** Round trips completed while PEBS_ENABLE kept a bit cpuc->pebs_enabled does not have (capped). */
  staleTrips: number;
}

/** The whole world: one plain value the explorer owns. */
export interface World extends KvmWorld {
  hw: HwState;
  perf: PerfState;
  kvm: KvmState;
  host: HostState;
  budget: BudgetState;
  mon: MonitorState;
  /** State a policy's patch adds (SwitchPolicy.stateSlots), owned by the policy. */
  ext: number[];
}

export function cloneWorld(w: World): World {
  return {
    hw: cloneHw(w.hw),
    perf: clonePerf(w.perf),
    kvm: cloneKvm(w.kvm),
    host: { act: w.host.act, pc: w.host.pc, used: w.host.used },
    budget: { overflows: w.budget.overflows, nmis: w.budget.nmis, ticks: w.budget.ticks },
    mon: { staleTrips: w.mon.staleTrips },
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
  sink.add(w.budget.nmis);
  sink.add(w.budget.ticks);
  sink.add(w.mon.staleTrips);
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
