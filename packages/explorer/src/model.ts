/**
 * What the explorer explores: any model that offers initial states, the actions enabled in a
 * state, the next state for an action, a fingerprint, and a stable name for each choice.
 * States are values: `next` must not change the state it is given. Action order must be
 * deterministic: the explorer's results, counterexamples included, depend on it.
 */
export interface Model<S, A> {
  init(): readonly S[];
  actions(s: S): readonly A[];
  next(s: S, a: A): S;
  /** A non-negative safe integer; equal states must have equal fingerprints. */
  fingerprint(s: S): number;
  /** The name of a choice in a state, stable across model changes (used in counterexamples and replays). */
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
