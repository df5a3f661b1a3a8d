import type { Bounds } from "../bounds.js";
import { FingerprintSet } from "../fingerprint-set.js";
import { propertyResults } from "../finish.js";
import { minimize } from "../minimize.js";
import type { Model, Property } from "../model.js";
import { PropertyMonitor } from "../monitor.js";
import type { ExploreResult } from "../result.js";

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
 * Seeded random walks for spaces too big to finish: `walks` walks of at most maxDepth choices,
 * each from a random initial state, each choice uniform among the enabled ones. The result is
 * a sample (`complete: false`); counterexamples are minimised.
 */
export function randomWalks<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  bounds: Bounds,
  opts: { seed: number; walks: number },
): ExploreResult {
  const rnd = mulberry32(opts.seed);
  const mon = new PropertyMonitor(properties);
  const seen = new FingerprintSet();
  const paths: { root: number; names: string[] }[] = [];
  let transitions = 0;
  let maxDepth = 0;
  const inits = model.init();
  for (let w = 0; w < opts.walks && seen.size < bounds.maxStates; w++) {
    const root = Math.floor(rnd() * inits.length);
    let s = inits[root] as S;
    let counters = mon.initialCounters();
    const names: string[] = [];
    const node = paths.push({ root, names }) - 1;
    seen.add(mon.mix(model.fingerprint(s), counters), 0);
    mon.check(s, counters, node);
    for (let d = 0; d < bounds.maxDepth; d++) {
      const acts = model.actions(s);
      if (!acts.length) break;
      const a = acts[Math.floor(rnd() * acts.length)] as A;
      names.push(model.name(s, a));
      const t = model.next(s, a);
      transitions++;
      counters = mon.hasCounters ? mon.step(counters, s, t) : counters;
      s = t;
      seen.add(mon.mix(model.fingerprint(s), counters), 0);
      const before = mon.found.slice();
      mon.check(s, counters, node);
      // A property first found on this walk keeps a copy of the path so far.
      for (let i = 0; i < mon.found.length; i++) {
        if (mon.found[i] === node && before[i] === undefined)
          mon.found[i] = paths.push({ root, names: names.slice() }) - 1;
      }
      if (d + 1 > maxDepth) maxDepth = d + 1;
    }
  }
  return {
    strategy: `random(seed=${opts.seed}, walks=${opts.walks})`,
    complete: false,
    states: seen.size,
    transitions,
    maxDepth,
    properties: propertyResults(properties, mon, (n) => {
      const p = paths[n] as { root: number; names: string[] };
      const i = mon.found.indexOf(n);
      return minimize(model, properties[i] as Property<S>, p.root, p.names);
    }),
    indexBytes: seen.bytes(),
  };
}
