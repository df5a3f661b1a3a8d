import { BOUND_HINT, type BoundName, type Bounds } from "./bounds.js";
import { ChainCache } from "./chain-cache.js";
import { wallClock } from "./clock.js";
import { ExplorationError } from "./exploration-error.js";
import { DepthBuckets, type Frontier } from "./frontier.js";
import { minimize } from "./minimize.js";
import type { Model, Property } from "./model.js";
import { PropertyMonitor } from "./monitor.js";
import { NodeStore } from "./node-store.js";
import { enabled, initialCopy, namePath } from "./paths.js";
import type { ExploreResult, PropertyResult, Storage } from "./result.js";
import { collisionProbability, StateTable } from "./state-table.js";
import { int32s, uint8s, unfrozen } from "./typed-arrays.js";

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
  /**
   * Compress chains (breadth-first search only; other strategies ignore it): a successor with
   * exactly one enabled action is not stored but stepped through, its properties checked on the
   * way, until a state with no choice or several (or the depth bound) is reached; that one is
   * stored, one edge as long as the chain below its parent. States come out of the frontier in
   * order of depth (DepthBuckets) and a state met again at a smaller depth is explored again from
   * there, so depths, verdicts and the lengths of shortest counterexamples are those of plain
   * breadth-first search (the argument is in the README, "Compressed chains").
   */
  readonly chains?: boolean;
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
  const keyed = strategy.keyed;
  const chains = opts.chains === true && strategy.shortest && strategy.exhaustive && !keyed;
  const nodes = new NodeStore();
  const mon = new PropertyMonitor(properties, opts.onFound, chains ? (id) => nodes.depth(id) : undefined);
  const counters = mon.hasCounters;
  // A record is a state's words, and with a persistence property one more word for the counters.
  const stride = width + (counters ? 1 : 0);
  const table = new StateTable(stride, opts.exact === true);
  const frontier = chains ? new DepthBuckets(stride, (id) => nodes.depth(id)) : strategy.frontier(stride);
  // Chains: the record before a chain step (a persistence counter's `from`, and a state that
  // steps to itself ends its chain), the one choice's array, and the nodes a shallower path superseded.
  const before = int32s(stride);
  const beforeState = model.create(unfrozen(before.subarray(0, width)));
  const only: A[] = [];
  const entered = chains ? new ChainCache(stride) : undefined;
  let superseded = uint8s(chains ? 1 << 12 : 0);
  const supersede = (id: number): void => {
    if (id >= superseded.length) {
      const next = uint8s(Math.max(superseded.length * 2, id + 1));
      next.set(superseded);
      superseded = next;
    }
    superseded[id] = 1;
  };
  // The records of the state being expanded (slot A) and of its successor (slot B) live at the
  // start of the frontier's array: a state's words, then its counters. The two working states
  // are views over them, made again whenever the frontier's array grows.
  let buf = frontier.buf;
  let gen = frontier.generation;
  let rec = unfrozen(buf.subarray(0, stride));
  let out = unfrozen(buf.subarray(stride, 2 * stride));
  let parent = model.create(unfrozen(buf.subarray(0, width)));
  let child = model.create(unfrozen(buf.subarray(stride, stride + width)));
  let cWords = model.words(child);
  const rebind = (): void => {
    buf = frontier.buf;
    gen = frontier.generation;
    rec = unfrozen(buf.subarray(0, stride));
    out = unfrozen(buf.subarray(stride, 2 * stride));
    parent = model.create(unfrozen(buf.subarray(0, width)));
    child = model.create(unfrozen(buf.subarray(stride, stride + width)));
    cWords = model.words(child);
  };
  const acts: A[] = [];
  const inits = model.init();
  let transitions = 0;
  let maxDepth = 0;
  let stop: BoundName | undefined;
  const started = bounds.timeLimitMs > 0 ? wallClock() : 0;
  const progress = opts.progress;

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
  // Inside a compressed chain: the depth of the state whose one choice is being taken (-1: not).
  let chainAt = -1;
  let chainStep = false;
  try {
    outer: for (;;) {
      const id = frontier.pop();
      if (id < 0) {
        const r = strategy.restart(inits.length);
        if (r < 0) break;
        seed(r);
        continue;
      }
      // Chains: a node superseded by a shallower path to the same state (that one is explored instead).
      if (chains && superseded[id] === 1) continue;
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
      outerChild: for (let i = from; i < to; i++) {
        if (stride <= 16) for (let j = 0; j < stride; j++) out[j] = rec[j] as number;
        else buf.copyWithin(stride, 0, stride);
        const k = keyed ? keyed.key(parent, acts[i], id) : 0;
        acting = i;
        model.next(child, acts[i] as A);
        transitions++;
        if (counters) out[width] = mon.step(c0, parent, child);
        // A step back to the state being expanded (a stutter) needs no look-up: it is visited.
        if (one < 0 && sameRecord(out, rec, stride)) continue;
        let d = depth + 1;
        if (chains) {
          // Step through states with exactly one choice; keep the first with none or several.
          for (;;) {
            if (d >= bounds.maxDepth) break;
            chainAt = d;
            chainStep = false;
            if (model.actions(child, only) !== 1) break;
            // A chain entered before at this depth or less: nothing new lies along it.
            if ((entered as ChainCache).seen(out, d)) {
              chainAt = -1;
              continue outerChild;
            }
            model.layout.check(cWords);
            const c = counters ? (out[width] as number) : 0;
            if (mon.wants(child, c, d)) mon.check(child, c, nodes.push(id, i, d));
            for (let j = 0; j < stride; j++) before[j] = out[j] as number;
            chainStep = true;
            model.next(child, only[0] as A);
            transitions++;
            if (counters) out[width] = mon.step(c, beforeState, child);
            // The one choice leads back to the same state: keep it (its expansion sees the stutter).
            if (sameRecord(out, before, stride)) break;
            d++;
          }
        }
        chainAt = -1;
        const prev = table.add(out, nodes.size);
        if (
          prev !== -1 &&
          (keyed ? keyed.keyOf(prev) <= k : chains ? d >= nodes.depth(prev) : !strategy.revisit(nodes.depth(prev), d))
        )
          continue;
        model.layout.check(cWords);
        const nid = nodes.push(id, i, d);
        if (prev !== -1) {
          table.replace(out, nid);
          if (chains) supersede(prev);
        }
        if (d > maxDepth) maxDepth = d;
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
    if (chainAt >= 0) {
      // Inside a chain: name the path to the chain's state, then its one choice if taking it threw.
      expanding = nodes.push(expanding, acting, chainAt);
      acting = chainStep ? 0 : -1;
    }
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
    indexBytes: table.bytes() + nodes.bytes() + frontier.bytes() + (entered?.bytes() ?? 0),
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
