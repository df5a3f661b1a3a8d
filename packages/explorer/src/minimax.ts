import { BOUND_HINT, type BoundName, type Bounds } from "./bounds.js";
import type { Model, Property } from "./model.js";
import { namePath } from "./paths.js";
import type { Storage } from "./result.js";
import { search } from "./search.js";
import { minimaxStrategy, type Requirement } from "./strategies/minimax.js";

export type { Requirement } from "./strategies/minimax.js";

/** A property's answer from a minimax exploration. */
export interface MinimaxProperty {
  readonly id: string;
  readonly kind: Property<unknown>["kind"];
  /**
   * always and persistence: the smallest value of the assumption at which the property is
   * violated; sometimes: the smallest value at which it is witnessed. Absent: not within the
   * explored values.
   */
  readonly value?: number;
  /** The path that shows it at `value`: a shortest-requirement path, its choice names. */
  readonly path?: readonly string[];
}

export interface MinimaxResult {
  /** Every state reachable at the explored value (the model's own) was settled. */
  readonly complete: boolean;
  readonly bound?: { readonly name: BoundName; readonly value: number; readonly hint: string };
  /**
   * Every state reachable at a value up to this one was settled, even when a bound stopped the
   * run (states are settled in order of their requirement).
   */
  readonly settledUpTo: number;
  readonly states: number;
  readonly transitions: number;
  readonly properties: readonly MinimaxProperty[];
  readonly storage: Storage;
}

/**
 * Explore a model once at the largest value of one monotone assumption (the model is built with
 * it), and find for every property the smallest value of that assumption at which it is violated
 * (or, for a `sometimes` property, witnessed): a bottleneck shortest-path search. A path needs the
 * largest requirement of its transitions; states are settled in order of the least requirement of
 * any path to them (Dijkstra's order, with max in place of +), and properties are checked as states
 * are settled, so the first violation met is one needing the least value, and its path shows it.
 *
 * It is the one search loop (search.ts) with the minimax strategy (strategies/minimax.ts): a
 * frontier that gives the least requirement first, and properties checked as states are settled.
 * This is sound when the assumption is monotone (a smaller value offers a subset of the
 * transitions, and nothing else about the states depends on it), which is what `Requirement`
 * states for each transition. One exploration then answers what a bisection would need one
 * exploration per probed value for (conformance/src/frontier checks the two agree).
 */
export function exploreMinimax<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  bounds: Bounds,
  requirement: Requirement<S, A>,
): MinimaxResult {
  const strategy = minimaxStrategy(requirement);
  const r = search(model, properties, bounds, strategy);
  const settledUpTo = strategy.settledUpTo();
  const results: MinimaxProperty[] = properties.map((p, i) => {
    const node = r.found[i];
    if (node === undefined || strategy.keyed.keyOf(node) > settledUpTo) return { id: p.id, kind: p.kind };
    const path = r.nodes.path(node);
    return {
      id: p.id,
      kind: p.kind,
      value: strategy.keyed.keyOf(node),
      path: namePath(model, path.root, path.actions),
    };
  });
  return {
    complete: r.stop === undefined,
    ...(r.stop ? { bound: { name: r.stop, value: bounds[r.stop], hint: BOUND_HINT[r.stop] } } : {}),
    settledUpTo,
    states: r.states,
    transitions: r.transitions,
    properties: results,
    storage: r.storage,
  };
}
