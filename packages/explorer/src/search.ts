import { BOUND_HINT, type BoundName, type Bounds } from "./bounds.js";
import { wallClock } from "./clock.js";
import { ExplorationError } from "./exploration-error.js";
import type { Frontier } from "./frontier.js";
import { minimize } from "./minimize.js";
import type { Model, Property } from "./model.js";
import { PropertyMonitor } from "./monitor.js";
import { NodeStore } from "./node-store.js";
import { enabled, initialCopy, namePath } from "./paths.js";
import type { ExploreResult, PropertyResult, Storage } from "./result.js";
import { collisionProbability, StateTable } from "./state-table.js";

/**
 * A search that settles states in order of a key instead of discovery (minimax): each transition
 * has a key, a state reached again with a smaller key is explored again from there, and the
 * frontier gives the least key first (KeyedFrontier over `keyOf`). Properties are checked when a
 * state is settled (taken from the frontier), not when it is discovered, so the first violation
 * met is one of least key; a node superseded by a cheaper path to its state is skipped.
 */
export interface KeyedOrder {
  /** The key of transition `a` from `parent`, the state of node `parentId`. */
  key(parent: unknown, a: unknown, parentId: number): number;
  /** Node `id` has key `key` (set before it is pushed on the frontier; roots have 0). */
  keep(id: number, key: number): void;
  keyOf(id: number): number;
  /** A bound stopped the search (or cut it below) while node `id` was being settled. */
  stopped(id: number): void;
}

/**
 * A search strategy: the frontier it keeps, whether a state seen before is explored again, and
 * which successors it generates. One loop (search, behind explore and exploreMinimax) runs every
 * strategy.
 */
export interface Strategy {
  readonly name: string;
  /** The search visits every reachable state within the bounds (false for sampling). */
  readonly exhaustive: boolean;
  /** Counterexamples come out shortest (breadth-first); otherwise they are minimised. */
  readonly shortest: boolean;
  frontier(stride: number): Frontier;
  /** Explore a state again that was already reached at depth `seenDepth`, now at `depth`? */
  revisit(seenDepth: number, depth: number): boolean;
  /** Generate one successor of `n` (its index), or all of them (-1). */
  select(n: number): number;
  /** The initial states (indices among `n`) to start from. */
  roots(n: number): readonly number[];
  /** The frontier ran dry: start again from this initial state (-1: stop). */
  restart(n: number): number;
  /** Settle states in order of a key (then `revisit` is not asked: a smaller key decides). */
  readonly keyed?: KeyedOrder;
}

export interface ExploreOptions {
  /** Keep every packed state and compare words, so no two states can ever be merged. */
  readonly exact?: boolean;
  /** Called when a property is first violated (or a `sometimes` one witnessed). */
  readonly onFound?: (property: string) => void;
  /** Where to write the number of states stored, every 1024 expansions (a watchdog in another thread reads it). */
  readonly progress?: Int32Array;
}

function sameRecord(a: Int32Array, b: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Check the wall clock (only when a time limit is set) and write progress this often (expansions). */
const CLOCK_EVERY = 1024;

/** What the search loop leaves for a result to be read from. */
export interface Searched {
  /** The first node that violates (or witnesses) each property, in the properties' order. */
  readonly found: readonly (number | undefined)[];
  /** Persistence: the longest run of the condition seen, per property. */
  readonly longest: readonly number[];
  readonly nodes: NodeStore;
  readonly stop: BoundName | undefined;
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly storage: Storage;
  readonly indexBytes: number;
}

/**
 * The search loop, for every strategy. States are packed (the layout's bit fields, plus a word of
 * monitor counters when a persistence property is checked), keyed exactly or by a 64-bit
 * fingerprint in the visited set, kept packed in the frontier, and unpacked into one of two
 * working states to be expanded. Properties are checked on every state a strategy admits: when it
 * is discovered, or for a keyed strategy when it is settled.
 */
export function search<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  bounds: Bounds,
  strategy: Strategy,
  opts: ExploreOptions = {},
): Searched {
  const width = model.layout.width;
  const mon = new PropertyMonitor(properties, opts.onFound);
  const counters = mon.hasCounters;
  // A record is a state's words, and with a persistence property one more word for the counters.
  const stride = width + (counters ? 1 : 0);
  const table = new StateTable(stride, opts.exact === true);
  const nodes = new NodeStore();
  const frontier = strategy.frontier(stride);
  // The records of the state being expanded (slot A) and of its successor (slot B) live at the
  // start of the frontier's array: a state's words, then its counters. The two working states
  // are views over them, made again whenever the frontier's array grows.
  let buf = frontier.buf;
  let gen = frontier.generation;
  let rec = buf.subarray(0, stride);
  let out = buf.subarray(stride, 2 * stride);
  let parent = model.create(buf.subarray(0, width));
  let child = model.create(buf.subarray(stride, stride + width));
  let cWords = model.words(child);
  const rebind = (): void => {
    buf = frontier.buf;
    gen = frontier.generation;
    rec = buf.subarray(0, stride);
    out = buf.subarray(stride, 2 * stride);
    parent = model.create(buf.subarray(0, width));
    child = model.create(buf.subarray(stride, stride + width));
    cWords = model.words(child);
  };
  const acts: A[] = [];
  const inits = model.init();
  let transitions = 0;
  let maxDepth = 0;
  let stop: BoundName | undefined;
  const started = bounds.timeLimitMs > 0 ? wallClock() : 0;
  const progress = opts.progress;
  const keyed = strategy.keyed;

  const seed = (r: number): void => {
    const s = inits[r] as S;
    const w = model.words(s);
    model.layout.check(w);
    cWords.set(w);
    if (counters) out[width] = mon.initialCounters();
    const prev = table.add(out, nodes.size);
    if (prev !== -1 && (keyed ? keyed.keyOf(prev) <= 0 : !strategy.revisit(nodes.depth(prev), 0))) return;
    const id = nodes.push(-1, r, 0);
    if (prev !== -1) table.replace(out, id);
    if (keyed) keyed.keep(id, 0);
    else mon.check(s, counters ? (out[width] as number) : 0, id);
    frontier.push(id);
    if (frontier.generation !== gen) rebind();
  };
  for (const r of strategy.roots(inits.length)) seed(r);

  let expansions = 0;
  // Where the model is, for an ExplorationError: the node being expanded, the choice being taken.
  let expanding = -1;
  let acting = -1;
  try {
    outer: for (;;) {
      const id = frontier.pop();
      if (id < 0) {
        const r = strategy.restart(inits.length);
        if (r < 0) break;
        seed(r);
        continue;
      }
      // Keyed: a node superseded by a cheaper path to the same state (that one was, or will be, settled).
      if (keyed && table.add(rec, nodes.size) !== id) continue;
      if (++expansions % CLOCK_EVERY === 0) {
        if (progress) progress[0] = nodes.size;
        if (started && wallClock() - started > bounds.timeLimitMs) {
          stop = "timeLimitMs";
          keyed?.stopped(id);
          break;
        }
      }
      const c0 = counters ? (rec[width] as number) : 0;
      if (keyed) mon.check(parent, c0, id);
      const depth = nodes.depth(id);
      expanding = id;
      acting = -1;
      const n = model.actions(parent, acts);
      if (n === 0) continue;
      if (depth >= bounds.maxDepth) {
        // A walk ends at the depth bound; an exhaustive search has left states unexplored.
        if (strategy.exhaustive) stop = "maxDepth";
        keyed?.stopped(id);
        continue;
      }
      const one = strategy.select(n);
      const from = Math.max(one, 0);
      const to = one < 0 ? n : one + 1;
      for (let i = from; i < to; i++) {
        if (stride <= 16) for (let j = 0; j < stride; j++) out[j] = rec[j] as number;
        else buf.copyWithin(stride, 0, stride);
        const k = keyed ? keyed.key(parent, acts[i], id) : 0;
        acting = i;
        model.next(child, acts[i] as A);
        transitions++;
        if (counters) out[width] = mon.step(c0, parent, child);
        // A step back to the state being expanded (a stutter) needs no look-up: it is visited.
        if (one < 0 && sameRecord(out, rec, stride)) continue;
        const prev = table.add(out, nodes.size);
        if (prev !== -1 && (keyed ? keyed.keyOf(prev) <= k : !strategy.revisit(nodes.depth(prev), depth + 1))) continue;
        model.layout.check(cWords);
        const nid = nodes.push(id, i, depth + 1);
        if (prev !== -1) table.replace(out, nid);
        if (depth + 1 > maxDepth) maxDepth = depth + 1;
        if (keyed) keyed.keep(nid, k);
        else mon.check(child, counters ? (out[width] as number) : 0, nid);
        frontier.push(nid);
        if (frontier.generation !== gen) rebind();
        if (table.size >= bounds.maxStates) {
          stop = "maxStates";
          keyed?.stopped(id);
          break outer;
        }
      }
    }
  } catch (e) {
    if (expanding < 0) throw e;
    throw explorationError(model, nodes.path(expanding), acting, e);
  }

  return {
    found: mon.found,
    longest: mon.longest,
    nodes,
    stop,
    states: table.size,
    transitions,
    maxDepth,
    storage: {
      mode: table.mode,
      stateBytes: stride * 4,
      collisionProbability: collisionProbability(table.mode, table.size, transitions),
    },
    indexBytes: table.bytes() + nodes.bytes() + frontier.bytes(),
  };
}

/** What the model threw, with the named path to it (replayed from the root; the path itself did not throw). */
function explorationError<S, A>(
  model: Model<S, A>,
  p: { root: number; actions: number[] },
  acting: number,
  thrown: unknown,
): ExplorationError {
  const names = namePath(model, p.root, p.actions);
  if (acting < 0) return new ExplorationError(thrown, names, false);
  const s = initialCopy(model, p.root);
  for (const i of p.actions) model.next(s, enabled(model, s)[i] as A);
  const a = enabled(model, s)[acting] as A;
  return new ExplorationError(thrown, [...names, model.name(s, a)], true);
}

/** Explore a model with a strategy (the search loop), and give each property its verdict and path. */
export function explore<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  bounds: Bounds,
  strategy: Strategy,
  opts: ExploreOptions = {},
): ExploreResult {
  const r = search(model, properties, bounds, strategy, opts);
  const { nodes, stop } = r;
  const complete = strategy.exhaustive && stop === undefined;
  const pathOf = (node: number): string[] => {
    const p = nodes.path(node);
    return namePath(model, p.root, p.actions);
  };
  const results: PropertyResult[] = properties.map((p, i) => {
    const node = r.found[i];
    let names = node === undefined ? undefined : pathOf(node);
    if (names && !strategy.shortest) names = minimize(model, p, nodes.path(node as number).root, names);
    const longest = p.kind === "persistence" ? { longest: r.longest[i] as number } : {};
    if (p.kind === "sometimes")
      return names
        ? { id: p.id, kind: p.kind, verdict: "holds", witness: names }
        : { id: p.id, kind: p.kind, verdict: "violated" };
    return names
      ? { id: p.id, kind: p.kind, verdict: "violated", counterexample: names, ...longest }
      : { id: p.id, kind: p.kind, verdict: "holds", ...longest };
  });
  return {
    strategy: strategy.name,
    complete,
    ...(stop ? { bound: { name: stop, value: bounds[stop], hint: BOUND_HINT[stop] } } : {}),
    states: r.states,
    transitions: r.transitions,
    maxDepth: r.maxDepth,
    properties: results,
    storage: r.storage,
    indexBytes: r.indexBytes,
  };
}
