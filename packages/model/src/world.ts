import { array, bits, defineState, int, type ViewOf } from "@switchlab/explorer";
import { HW_SPEC, meta } from "@switchlab/hardware";
import { KVM_SPEC, type KvmWorld } from "@switchlab/kvm";
import { MAX_EVENTS, PERF_SPEC } from "@switchlab/perf";
import { GUEST_SPEC } from "./guest.js";

/** Most scheduling activities a scenario may declare. */
export const MAX_ACTIVITIES = 8;
/** Most state slots a policy may add (SwitchPolicy.stateSlots). */
export const MAX_STATE_SLOTS = 8;

/** The host context with IRQs on, between run-loop iterations: which activity runs, and where. */
export const HOST_SPEC = {
  /** 0: none; 1: the perf tick; 2 + i: scheduling activity i. */
  act: int(0, 2 + MAX_ACTIVITIES - 1, meta("host activity", "int", { hidden: true })),
  /** Program counter in that activity's sequence. */
  pc: int(0, 31, meta("host activity pc", "int", { hidden: true })),
  /** Mask of scheduling activities already done (each runs at most once). */
  used: bits(MAX_ACTIVITIES, meta("scheduling activities done", "counters", { hidden: true })),
} as const;

/** What the scenario still allows to happen asynchronously. */
export const BUDGET_SPEC = {
  overflows: int(0, 31, meta("overflows left", "int", { hidden: true })),
  /** Overflows taken so far by each event (for the scenario's per-event limit). */
  evOverflows: array(MAX_EVENTS, 0, 31, meta("overflows taken", "int", { hidden: true, perEvent: true })),
  nmis: int(0, 31, meta("PMIs left to deliver", "int", { hidden: true })),
  ticks: int(0, 15, meta("ticks left", "int", { hidden: true })),
  otherNmis: int(0, 7, meta("other NMIs left to deliver", "int", { hidden: true })),
  /** PMU MSR writes the mediated guest may still make (assumptions/guest-writes.ts). */
  guestWrites: int(0, 7, meta("guest PMU writes left", "int", { hidden: true })),
} as const;

/**
 * The whole world, declared once from its parts: the machine (hardware), perf, KVM, the host
 * context with IRQs on, the mediated guest's program and record (guest.ts), the budgets, and the state a policy's patch adds (`ext`, small integers,
 * 0..255). The layout is fixed (arrays at their maximum sizes), so one view class serves every
 * cell and the rules stay monomorphic.
 */
export const WORLD_SPEC = {
  hw: HW_SPEC,
  perf: PERF_SPEC,
  kvm: KVM_SPEC,
  host: HOST_SPEC,
  guest: GUEST_SPEC,
  budget: BUDGET_SPEC,
  ext: array(MAX_STATE_SLOTS, 0, 255, meta("policy state", "int")),
} as const;

export const WORLD_LAYOUT = defineState(WORLD_SPEC);

/** The whole world: one state view the explorer packs, hashes and stores. */
export type World = ViewOf<typeof WORLD_SPEC> & KvmWorld;

/** A new world, all zero (initialWorld in cell.ts gives the start of a run), or a view over given words. */
export function createWorld(words?: Int32Array): World {
  return (words ? WORLD_LAYOUT.view(words) : WORLD_LAYOUT.create()) as World;
}

/** A copy of a world (its own words). */
export function cloneWorld(w: World): World {
  return WORLD_LAYOUT.clone(w) as World;
}

/** The working words behind a world. */
export function worldWords(w: World): Int32Array {
  return WORLD_LAYOUT.words(w);
}

const LAST_NMI_RIP = WORLD_LAYOUT.fields.find(
  (f) => f.path === "perf.lastNmiRip",
) as (typeof WORLD_LAYOUT.fields)[number];

/**
 * nmi.c last_nmi_rip as stored, read from the world's words: forgotten values included
 * (perf nmi.ts forgetDeadRip), and not counted as a read of one, as a view's getter counts it.
 */
export function storedLastNmiRip(w: World): number {
  return LAST_NMI_RIP.read(WORLD_LAYOUT.words(w));
}

const EXIT_REASON = WORLD_LAYOUT.fields.find(
  (f) => f.path === "kvm.exitReason",
) as (typeof WORLD_LAYOUT.fields)[number];

/**
 * KVM's last exit reason as stored, read from the world's words: forgotten values included
 * (kvm run-loop.ts forgetDeadExitReason), and not counted as a read of one.
 */
export function storedExitReason(w: World): number {
  return EXIT_REASON.read(WORLD_LAYOUT.words(w));
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
