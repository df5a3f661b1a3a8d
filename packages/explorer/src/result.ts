import type { BoundName } from "./bounds.js";

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

/** What an exploration covered and found. */
export interface ExploreResult {
  readonly strategy: string;
  /** Every state reachable within the bounds was explored. False for sampled runs and hit bounds. */
  readonly complete: boolean;
  /** The bound that stopped the run, if any. */
  readonly bound?: { readonly name: BoundName; readonly value: number; readonly env: string; readonly hint: string };
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly properties: readonly PropertyResult[];
  /** Bytes held by the visited set and the search tree at the end (not the frontier). */
  readonly indexBytes: number;
}
