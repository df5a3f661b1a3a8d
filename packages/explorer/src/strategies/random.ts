import { RecordStack } from "../frontier.js";
import type { Strategy } from "../search.js";

/** mulberry32: a small seeded PRNG, so a sampled run is reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded random walks for spaces too big to finish: `walks` walks of at most the depth bound,
 * each from a random initial state, each choice uniform among the enabled actions; states seen
 * before are walked through again. The result is a sample (never complete); counterexamples are
 * minimised. A fresh strategy object per exploration (it holds the generator's position).
 */
export function randomWalks(opts: { readonly seed: number; readonly walks: number }): Strategy {
  const rnd = mulberry32(opts.seed);
  let left = opts.walks;
  return {
    name: `random(seed=${opts.seed}, walks=${opts.walks})`,
    exhaustive: false,
    shortest: false,
    frontier: (stride) => new RecordStack(stride),
    revisit: () => true,
    select: (n) => Math.floor(rnd() * n),
    roots: (n) => (left-- > 0 ? [Math.floor(rnd() * n)] : []),
    restart: (n) => (left-- > 0 ? Math.floor(rnd() * n) : -1),
  };
}
