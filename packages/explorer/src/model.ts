import type { Packing } from "./schema.js";

/**
 * What the explorer explores: a model whose states are declared with a schema (schema.ts). The
 * explorer keeps states packed and works on a few state views it asks the model for: it lists
 * the actions enabled in a state, applies one in place, and names choices for counterexamples.
 * `next` changes only the state it is given; action order must be deterministic, since the
 * results (counterexamples included) depend on it.
 */
export interface Model<S, A> {
  /** The schema of a state: its working words, packing and field names. */
  readonly layout: Packing;
  /**
   * A new working state (the explorer makes a few and reuses them): over fresh words, or over
   * the given words (shared, not copied; the explorer keeps a state and its monitor counters in
   * one buffer).
   */
  create(words?: Int32Array): S;
  /** The working words of a state made by `create` or `init`. */
  words(s: S): Int32Array;
  /** The initial states. */
  init(): readonly S[];
  /**
   * Write the actions enabled in `s` into out[0], out[1], ... in a fixed order and return how
   * many (the explorer reuses one array; writing by index keeps it from being reallocated).
   */
  actions(s: S, out: A[]): number;
  /** Apply an enabled action to `s`, in place. */
  next(s: S, a: A): void;
  /** The name of a choice in a state, stable across model changes (counterexamples and replays use it). */
  name(s: S, a: A): string;
}

/**
 * A property of the model's behaviours.
 *
 * - `always` (safety): `holds` is true in every reachable state. A violation comes with the path
 *   to the first state where it fails; breadth-first search makes that path a shortest one.
 * - `sometimes` (reachability): `holds` is true in some reachable state. It guards against
 *   vacuous passes: if the interesting window is never reached, passing the safety properties
 *   says nothing. It is violated only when the exploration was complete and found no such state.
 * - `persistence` (bounded eventually): once `condition` becomes true it must become false
 *   again before `progress` has ticked more than `bound` times (progress ticks on a
 *   transition, e.g. a completed VM round trip). The explorer keeps the count in the explored
 *   state (capped at bound + 1), reports the longest run seen, and the path to a run longer than
 *   the bound. It checks bounded runs only: a condition that never clears but also never sees
 *   progress is not a violation; pair it with a bound on progress that is reachable.
 */
export type Property<S> =
  | { readonly id: string; readonly kind: "always"; holds(s: S): boolean }
  | { readonly id: string; readonly kind: "sometimes"; holds(s: S): boolean }
  | {
      readonly id: string;
      readonly kind: "persistence";
      condition(s: S): boolean;
      progress(from: S, to: S): boolean;
      readonly bound: number;
    };
