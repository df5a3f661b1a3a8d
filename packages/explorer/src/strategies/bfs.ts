import type { BoundName, Bounds } from "../bounds.js";
import { FingerprintSet } from "../fingerprint-set.js";
import { boundInfo, propertyResults } from "../finish.js";
import type { Model, Property } from "../model.js";
import { PropertyMonitor } from "../monitor.js";
import { NodeStore } from "../node-store.js";
import { namePath } from "../paths.js";
import type { ExploreResult } from "../result.js";

/**
 * Breadth-first search over every reachable state within the bounds, deduplicated by
 * fingerprint. Properties are checked on discovery, so each first violation is at the smallest
 * depth: counterexamples are shortest by construction. The whole space is explored (every
 * property gets its verdict from one run) unless a bound stops it.
 */
export function bfs<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  bounds: Bounds,
  hooks: { onFound?: (property: string) => void } = {},
): ExploreResult {
  const mon = new PropertyMonitor(properties, hooks.onFound);
  const seen = new FingerprintSet();
  const nodes = new NodeStore();
  let qStates: S[] = [];
  let qIds: number[] = [];
  let qCounters: number[] = [];
  let head = 0;
  let transitions = 0;
  let maxDepth = 0;
  let stop: BoundName | undefined;
  const started = bounds.timeLimitMs > 0 ? Date.now() : 0;

  model.init().forEach((s, r) => {
    const counters = mon.initialCounters();
    if (seen.add(mon.mix(model.fingerprint(s), counters), nodes.size) !== -1) return;
    const id = nodes.push(-1, r, 0);
    mon.check(s, counters, id);
    qStates.push(s);
    qIds.push(id);
    qCounters.push(counters);
  });

  outer: while (head < qStates.length) {
    const s = qStates[head] as S;
    const id = qIds[head] as number;
    const counters = qCounters[head] as number;
    // Let processed states go: the queue must not keep the whole space alive.
    (qStates as (S | undefined)[])[head] = undefined;
    head++;
    if (head > 65536 && head * 2 > qStates.length) {
      qStates = qStates.slice(head);
      qIds = qIds.slice(head);
      qCounters = qCounters.slice(head);
      head = 0;
    }
    const depth = nodes.depth(id);
    const acts = model.actions(s);
    if (acts.length && depth >= bounds.maxDepth) {
      stop = "maxDepth";
      continue;
    }
    for (let i = 0; i < acts.length; i++) {
      const t = model.next(s, acts[i] as A);
      transitions++;
      const c2 = mon.hasCounters ? mon.step(counters, s, t) : counters;
      if (seen.add(mon.mix(model.fingerprint(t), c2), nodes.size) !== -1) continue;
      const nid = nodes.push(id, i, depth + 1);
      if (depth + 1 > maxDepth) maxDepth = depth + 1;
      mon.check(t, c2, nid);
      qStates.push(t);
      qIds.push(nid);
      qCounters.push(c2);
      if (nodes.size >= bounds.maxStates) {
        stop = "maxStates";
        break outer;
      }
    }
    if (started && Date.now() - started > bounds.timeLimitMs) {
      stop = "timeLimitMs";
      break;
    }
  }

  return {
    strategy: "bfs",
    complete: stop === undefined,
    ...boundInfo(stop, bounds),
    states: nodes.size,
    transitions,
    maxDepth,
    properties: propertyResults(properties, mon, (n) => {
      const p = nodes.path(n);
      return namePath(model, p.root, p.actions).names;
    }),
    indexBytes: seen.bytes() + nodes.bytes(),
  };
}
