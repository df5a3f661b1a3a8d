import { wallClock } from "./clock.js";
import { BOUND_HINT, type BoundName, type Bounds } from "./bounds.js";
import type { Model, Property } from "./model.js";
import { PropertyMonitor } from "./monitor.js";
import { NodeStore } from "./node-store.js";
import { namePath } from "./paths.js";
import type { Storage } from "./result.js";
import { collisionProbability, StateTable } from "./state-table.js";

/**
 * What one transition asks of an assumption: the smallest value of the assumption under which the
 * model offers it (0 when any value does). For a PMI latency bound L, a step taken while a PMI has
 * waited `age` instructions needs L > age; for a budget B, the k-th use needs B >= k.
 */
export type Requirement<S, A> = (s: S, a: A) => number;

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

/** A binary heap of node ids ordered by (key, id): ties go to the node discovered first. */
class KeyHeap {
  private ids = new Int32Array(1024);
  size = 0;

  constructor(private readonly key: (id: number) => number) {}

  private less(a: number, b: number): boolean {
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb || (ka === kb && a < b);
  }

  push(id: number): void {
    if (this.size === this.ids.length) {
      const n = new Int32Array(this.ids.length * 2);
      n.set(this.ids);
      this.ids = n;
    }
    const h = this.ids;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(id, h[p] as number)) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = id;
  }

  pop(): number {
    if (this.size === 0) return -1;
    const h = this.ids;
    const top = h[0] as number;
    const last = h[--this.size] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.less(h[r] as number, h[l] as number) ? r : l;
      if (!this.less(h[c] as number, last)) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

/**
 * Explore a model once at the largest value of one monotone assumption (the model is built with
 * it), and find for every property the smallest value of that assumption at which it is violated
 * (or, for a `sometimes` property, witnessed): a bottleneck shortest-path search. A path needs the
 * largest requirement of its transitions; states are settled in order of the least requirement of
 * any path to them (Dijkstra's order, with max in place of +), and properties are checked as states
 * are settled, so the first violation met is one needing the least value, and its path shows it.
 *
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
  const width = model.layout.width;
  const mon = new PropertyMonitor(properties);
  const counters = mon.hasCounters;
  const stride = width + (counters ? 1 : 0);
  const table = new StateTable(stride, false);
  const nodes = new NodeStore();
  let keys = new Int32Array(1 << 12);
  let recs = new Int32Array((1 << 12) * stride);
  const heap = new KeyHeap((id) => keys[id] as number);
  const parentRec = new Int32Array(stride);
  const childRec = new Int32Array(stride);
  const parent = model.create(parentRec.subarray(0, width));
  const child = model.create(childRec.subarray(0, width));
  const cWords = model.words(child);
  const acts: A[] = [];
  let transitions = 0;
  let stop: BoundName | undefined;
  let settledUpTo = Number.POSITIVE_INFINITY;
  const started = bounds.timeLimitMs > 0 ? wallClock() : 0;

  const keep = (id: number, key: number, rec: Int32Array): void => {
    if (id >= keys.length) {
      const k = new Int32Array(keys.length * 2);
      k.set(keys);
      keys = k;
      const r = new Int32Array(keys.length * stride);
      r.set(recs);
      recs = r;
    }
    keys[id] = key;
    recs.set(rec, id * stride);
  };

  model.init().forEach((s, r) => {
    const w = model.words(s);
    model.layout.check(w);
    childRec.fill(0);
    cWords.set(w);
    if (counters) childRec[width] = mon.initialCounters();
    if (table.add(childRec, nodes.size) !== -1) return;
    const id = nodes.push(-1, r, 0);
    keep(id, 0, childRec);
    heap.push(id);
  });

  let expansions = 0;
  for (;;) {
    const id = heap.pop();
    if (id < 0) break;
    parentRec.set(recs.subarray(id * stride, (id + 1) * stride));
    // A node superseded by a cheaper path to the same state: that one was (or will be) settled.
    if (table.add(parentRec, nodes.size) !== id) continue;
    const key = keys[id] as number;
    if (started && ++expansions % 1024 === 0 && wallClock() - started > bounds.timeLimitMs) {
      stop = "timeLimitMs";
      settledUpTo = Math.min(settledUpTo, key - 1);
      break;
    }
    mon.check(parent, counters ? (parentRec[width] as number) : 0, id);
    const depth = nodes.depth(id);
    const n = model.actions(parent, acts);
    if (n === 0) continue;
    if (depth >= bounds.maxDepth) {
      // What lies past this node needs at least its key: everything below it is still settled.
      settledUpTo = Math.min(settledUpTo, key - 1);
      stop = "maxDepth";
      continue;
    }
    for (let i = 0; i < n; i++) {
      childRec.set(parentRec);
      const a = acts[i] as A;
      const req = requirement(parent, a);
      model.next(child, a);
      transitions++;
      if (counters) childRec[width] = mon.step(counters ? (parentRec[width] as number) : 0, parent, child);
      const k = Math.max(key, req);
      const prev = table.add(childRec, nodes.size);
      if (prev !== -1 && (keys[prev] as number) <= k) continue;
      model.layout.check(cWords);
      const nid = nodes.push(id, i, depth + 1);
      if (prev !== -1) table.replace(childRec, nid);
      keep(nid, k, childRec);
      heap.push(nid);
      if (table.size >= bounds.maxStates) {
        stop = "maxStates";
        break;
      }
    }
    if (stop === "maxStates") {
      settledUpTo = Math.min(settledUpTo, key - 1);
      break;
    }
  }

  const results: MinimaxProperty[] = properties.map((p, i) => {
    const node = mon.found[i];
    if (node === undefined || (keys[node] as number) > settledUpTo) return { id: p.id, kind: p.kind };
    const path = nodes.path(node);
    return { id: p.id, kind: p.kind, value: keys[node] as number, path: namePath(model, path.root, path.actions) };
  });
  return {
    complete: stop === undefined,
    ...(stop ? { bound: { name: stop, value: bounds[stop], hint: BOUND_HINT[stop] } } : {}),
    settledUpTo,
    states: table.size,
    transitions,
    properties: results,
    storage: {
      mode: table.mode,
      stateBytes: stride * 4,
      collisionProbability: collisionProbability(table.mode, table.size, transitions),
    },
  };
}
