import type { BoundName, Bounds } from "../bounds.js";
import { FingerprintSet } from "../fingerprint-set.js";
import { boundInfo, propertyResults } from "../finish.js";
import { minimize } from "../minimize.js";
import type { Model, Property } from "../model.js";
import { PropertyMonitor } from "../monitor.js";
import { NodeStore } from "../node-store.js";
import { namePath } from "../paths.js";
import type { ExploreResult } from "../result.js";

/**
 * Depth-first search within the depth bound, deduplicated by fingerprint; a state met again at
 * a smaller depth is explored again, so the search stays complete within the bound. Memory is
 * the depth of the stack rather than the width of a level. Counterexamples are minimised.
 */
export function dfs<S, A>(model: Model<S, A>, properties: readonly Property<S>[], bounds: Bounds): ExploreResult {
  const mon = new PropertyMonitor(properties);
  const seen = new FingerprintSet();
  const nodes = new NodeStore();
  const stack: { s: S; id: number; counters: number }[] = [];
  let transitions = 0;
  let maxDepth = 0;
  let stop: BoundName | undefined;
  const started = bounds.timeLimitMs > 0 ? Date.now() : 0;

  model.init().forEach((s, r) => {
    const counters = mon.initialCounters();
    if (seen.add(mon.mix(model.fingerprint(s), counters), nodes.size) !== -1) return;
    const id = nodes.push(-1, r, 0);
    mon.check(s, counters, id);
    stack.push({ s, id, counters });
  });
  stack.reverse();

  outer: while (stack.length) {
    const { s, id, counters } = stack.pop() as { s: S; id: number; counters: number };
    const depth = nodes.depth(id);
    const acts = model.actions(s);
    if (acts.length && depth >= bounds.maxDepth) {
      stop = "maxDepth";
      continue;
    }
    const children: { s: S; id: number; counters: number }[] = [];
    for (let i = 0; i < acts.length; i++) {
      const t = model.next(s, acts[i] as A);
      transitions++;
      const c2 = mon.hasCounters ? mon.step(counters, s, t) : counters;
      const fp = mon.mix(model.fingerprint(t), c2);
      const prev = seen.add(fp, nodes.size);
      if (prev !== -1 && nodes.depth(prev) <= depth + 1) continue;
      const nid = nodes.push(id, i, depth + 1);
      if (prev !== -1) seen.replace(fp, nid);
      if (depth + 1 > maxDepth) maxDepth = depth + 1;
      mon.check(t, c2, nid);
      children.push({ s: t, id: nid, counters: c2 });
      if (nodes.size >= bounds.maxStates) {
        stop = "maxStates";
        break outer;
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as (typeof children)[number]);
    if (started && Date.now() - started > bounds.timeLimitMs) {
      stop = "timeLimitMs";
      break;
    }
  }

  return {
    strategy: "dfs",
    complete: stop === undefined,
    ...boundInfo(stop, bounds),
    states: seen.size,
    transitions,
    maxDepth,
    properties: propertyResults(properties, mon, (n) => {
      const p = nodes.path(n);
      const names = namePath(model, p.root, p.actions).names;
      const i = mon.found.indexOf(n);
      return minimize(model, properties[i] as Property<S>, p.root, names);
    }),
    indexBytes: seen.bytes() + nodes.bytes(),
  };
}
