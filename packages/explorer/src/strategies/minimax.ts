import { KeyedFrontier } from "../frontier.js";
import type { KeyedOrder, Strategy } from "../search.js";
import { int32s } from "../typed-arrays.js";

/**
 * What one transition asks of an assumption: the smallest value of the assumption under which the
 * model offers it (0 when any value does). For a PMI latency bound L, a step taken while a PMI has
 * waited `age` instructions needs L > age; for a budget B, the k-th use needs B >= k.
 */
export type Requirement<S, A> = (s: S, a: A) => number;

/** The minimax strategy of one exploration: the search reads keys through it, and so does its result. */
export interface MinimaxStrategy extends Strategy {
  readonly keyed: KeyedOrder;
  /**
   * Every state reachable at a value up to this one was settled, even when a bound stopped the
   * run (states are settled in order of their requirement).
   */
  settledUpTo(): number;
}

/**
 * A bottleneck shortest-path search over one monotone assumption: a path needs the largest
 * requirement of its transitions, and states are settled in order of the least requirement of any
 * path to them (Dijkstra's order, with max in place of +), so the first violation settled is one
 * needing the least value of the assumption, and its path shows it. A fresh strategy per
 * exploration (it holds the nodes' keys).
 */
export function minimaxStrategy<S, A>(requirement: Requirement<S, A>): MinimaxStrategy {
  let keys = int32s(1 << 12);
  let settledUpTo = Number.POSITIVE_INFINITY;
  const keyed: KeyedOrder = {
    key: (parent, a, parentId) => Math.max(keys[parentId] as number, requirement(parent as S, a as A)),
    keep: (id, key) => {
      if (id >= keys.length) {
        let n = keys.length * 2;
        while (id >= n) n *= 2;
        const k = int32s(n);
        k.set(keys);
        keys = k;
      }
      keys[id] = key;
    },
    keyOf: (id) => keys[id] as number,
    // What lies past this node needs at least its key: everything below it is still settled.
    stopped: (id) => {
      settledUpTo = Math.min(settledUpTo, (keys[id] as number) - 1);
    },
  };
  return {
    name: "minimax",
    exhaustive: true,
    // Paths are shortest in requirement, not in length.
    shortest: false,
    frontier: (stride) => new KeyedFrontier(stride, keyed.keyOf),
    revisit: () => false,
    select: () => -1,
    roots: (n) => Array.from({ length: n }, (_, i) => i),
    restart: () => -1,
    keyed,
    settledUpTo: () => settledUpTo,
  };
}
