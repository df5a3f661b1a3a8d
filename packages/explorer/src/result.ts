import type { BoundName } from "./bounds.js";
import type { StorageMode } from "./state-table.js";

/** The verdict on one property, with the path that shows it. */
export interface PropertyResult {
  readonly id: string;
  readonly kind: "always" | "sometimes" | "persistence";
  readonly verdict: "holds" | "violated";
  /** Choice names from an initial state to the first violating state (always, persistence). */
  readonly counterexample?: readonly string[];
  /** Choice names to a state where a `sometimes` property holds. */
  readonly witness?: readonly string[];
  /** Persistence: the longest run of the condition seen, in progress ticks (capped at bound + 1). */
  readonly longest?: number;
}

/** How states were told apart, and what that costs and risks. */
export interface Storage {
  /** exact-key: a state packs into 64 bits, its key; fingerprint: a 64-bit hash; exact: hash plus the packed words. */
  readonly mode: StorageMode;
  /** Packed bytes of one state (and its monitor counters). */
  readonly stateBytes: number;
  /** Estimated probability that two distinct states explored shared a fingerprint (0 unless mode is fingerprint). */
  readonly collisionProbability: number;
}

/** What an exploration covered and found. */
export interface ExploreResult {
  readonly strategy: string;
  /** Every state reachable within the bounds was explored. False for sampled runs and hit bounds. */
  readonly complete: boolean;
  /** The bound that stopped the run, if any. */
  readonly bound?: { readonly name: BoundName; readonly value: number; readonly hint: string };
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly properties: readonly PropertyResult[];
  readonly storage: Storage;
  /** Bytes held at the end by the visited set, the search tree and the frontier at its peak. */
  readonly indexBytes: number;
}
