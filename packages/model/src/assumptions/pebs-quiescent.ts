import { HW_SPEC } from "@switchlab/hardware";
import type { Action } from "../machine.js";
import type { World } from "../world.js";
import type { AssumptionSpec } from "./spec.js";

/**
 * The PEBS quiescent period, in instructions: how long after a counter's PEBS_ENABLE bit is
 * cleared a latent PEBS assist of that counter may still complete. The SDM asks for "a quiescent
 * period" and gives no length. The default takes KVM's own stated assumption (add_atomic_switch_msr
 * zeroes PEBS_ENABLE by WRMSR "because PEBS needs a quiescent period after being disabled", 209
 * (v5.11) to 244 (v6.16) instructions before VMRESUME: KVM assumes the period fits that window,
 * and 64 is well inside it. `--pebs-quiescent` varies it, 0 turns latent assists off, and the
 * frontier reports where each pass breaks.
 */
export const DEFAULT_PEBS_QUIESCENT = 64;

/**
 * The rule (SDM Vol. 3B, "Re-configuring PEBS Facilities": the quiescent period after PEBS is
 * disabled; hardware pebs.ts latentPebsAssist): a latent assist of counter k completes only within the period since
 * its bit was cleared, so it needs a period of at least its age + 1. The period runs out per
 * counter (the SDM's quiescent period is per assist).
 */
export function pebsQuiescentNeed(w: World, a: Action): number {
  return a.kind === "latent" ? (w.hw.pebsLatentAge[a.arg] as number) + 1 : 0;
}

export const PEBS_QUIESCENT: AssumptionSpec<"pebsQuiescent", number> = {
  id: "pebsQuiescent",
  title: "PEBS quiescent period",
  unit: "insns",
  flag: "--pebs-quiescent",
  env: "SWITCHLAB_PEBS_QUIESCENT",
  help: `PEBS quiescent period in instructions (default ${DEFAULT_PEBS_QUIESCENT}; 0: no latent assists)`,
  short: "quiesc",
  // The latent assist's age field (hardware state.ts pebsLatentAge) holds up to MAX_QUIESCENT.
  shape: { kind: "count", min: 0, max: HW_SPEC.pebsLatentAge.max },
  default: DEFAULT_PEBS_QUIESCENT,
  read: (sc) => sc.pebsQuiescent ?? DEFAULT_PEBS_QUIESCENT,
  write: (sc, v) => ({ ...sc, pebsQuiescent: v }),
  label: (v) => `PEBS quiescent ${v} insns`,
  frontier: {
    floor: 0,
    ceiling: 4096,
    monotone: true,
    why: "a longer period lets a latent assist come later, and it need not come at all",
  },
  need: pebsQuiescentNeed,
};
