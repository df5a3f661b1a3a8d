import { canDeliverPmi, HW_SPEC } from "@switchlab/hardware";
import type { Action } from "../machine.js";
import type { World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * PMI delivery latency bound, in instructions. No architectural bound is published: Intel
 * documents skid of "several dozen instructions or more", and delivery through the local APIC
 * adds more. The bound must at least cover the windows a candidate's correctness rests on: from
 * perf_guest_get_msrs' snapshot to VMRESUME the run loop's steps add up to 311 instructions (v5.11,
 * no isolation), 325 (v6.16) and 455 (v6.16 with guest-PEBS entries), from the counts in
 * kvm/src/insns.ts. 512 is the first power of two above that; `--pmi-latency` varies it,
 * `--pmi-latency unbounded` removes it, and `switchlab frontier` reports where each pass breaks.
 */
export const DEFAULT_PMI_LATENCY = 512;

/**
 * The rule (SDM Vol. 3A 11.5.1, delivery of the LVTPC interrupt; hardware apic.ts canDeliverPmi):
 * while a PMI is deliverable (LVTPC unmasked, the NMI latch free) and NMIs are not blocked, the
 * APIC delivers it within the bound, so anything but the NMI needs the PMI's age below the bound:
 * it needs a bound of at least age + 1. (A PMI may be taken after a step if some instruction
 * boundary inside the step was still within the bound: age < bound.)
 */
export function pmiLatencyNeed(w: World, a: Action): number {
  // Only the PMI's own NMI (arg 0) is exempt: an NMI from another source (arg 1) is "anything but
  // the NMI", and a due PMI comes before it (machine.ts offers nothing else once it is due).
  const pmiNmi = a.kind === "nmi" && a.arg === 0;
  return !pmiNmi && canDeliverPmi(w.hw) && w.hw.nmiBlocked === 0 ? w.hw.pmiAge + 1 : 0;
}

export const PMI_LATENCY: AssumptionSpec<"pmiLatency", number | "unbounded"> = {
  id: "pmiLatency",
  title: "PMI latency",
  unit: "insns",
  flag: "--pmi-latency",
  env: "SWITCHLAB_PMI_LATENCY",
  help: `PMI delivery latency bound in instructions (default ${DEFAULT_PMI_LATENCY}), or unbounded`,
  short: "lat",
  // The PMI age field (hardware state.ts pmiAge) holds up to MAX_WINDOW; a bound must stay below it.
  shape: { kind: "count", min: 0, max: HW_SPEC.pmiAge.max - 1, word: "unbounded" },
  default: DEFAULT_PMI_LATENCY,
  read: (sc) => sc.pmiLatency ?? DEFAULT_PMI_LATENCY,
  write: (sc, v) => ({ ...sc, pmiLatency: v }),
  label: (v) => `PMI latency ${v === "unbounded" ? "unbounded" : `${v} insns`}`,
  frontier: {
    floor: 1,
    ceiling: 8192,
    monotone: true,
    why: "a larger bound lets a PMI wait longer, and still be delivered early",
  },
  need: pmiLatencyNeed,
};
