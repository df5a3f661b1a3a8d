import {
  assembleFrontier,
  assembleMatrix,
  BASELINE,
  BFS,
  DEFAULT_COST_TABLE,
  errorCells,
  type FrontierInput,
  type FrontierResult,
  type FrontierRowResult,
  inShard,
  type JobResult,
  type MatrixInput,
  type MatrixResult,
  notApplicableRow,
  planMatrix,
  SCENARIO_ROWS,
} from "@switchlab/conformance";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import type { ReachData } from "@switchlab/model";
import { relabelPolicy } from "../cache/relabel.js";
import type { RowCache } from "../cache/rows.js";
import type { Task } from "./messages.js";
import { type Outcome, type PoolOptions, runPool } from "./pool.js";

/**
 * The rows to explore, longest first (each row's cost: the states it explored when it last ran,
 * from the cache's costs; a row never run goes first, as it may be long), ties in matrix order.
 * With two workers and rows of very different lengths, a long row started last would leave the
 * other worker idle at the end; started first, the short rows fill in around it.
 */
export function longestFirst(tasks: readonly Task[], cache: RowCache | undefined): Task[] {
  if (!cache) return [...tasks];
  const cost = new Map(tasks.map((t) => [t.ordinal, cache.costOf(t) ?? Number.POSITIVE_INFINITY]));
  return [...tasks].sort((a, b) => {
    const d = (cost.get(b.ordinal) ?? 0) - (cost.get(a.ordinal) ?? 0);
    return Number.isNaN(d) || d === 0 ? a.ordinal - b.ordinal : d;
  });
}

/** What a baseline row gives the other policies' rows of its profile and scenario: its result, the fields it read, its reach. */
type Baseline = {
  readonly result: JobResult | FrontierRowResult;
  readonly reads: readonly string[];
  readonly reach: ReachData;
} | null;

/**
 * Run tasks through the cache and the pool: the rows the cache holds are handed back at once
 * (in matrix order), the rest explored longest first and stored. Two kinds of row are answered
 * by another row's exploration, whenever the cache is read:
 *   - Of one policy and scenario row on different profiles (a group, RowCache.groupOf), the rows
 *     run one at a time: when one is explored, the cache holds it under the profile fields its
 *     exploration read, and every other profile of the group equal on those fields is answered
 *     from it (an equivalent profile: the same exploration); the first one that is not runs next.
 *   - The baseline's rows (BASELINE, upstream; matrix and frontier rows alike) record which
 *     service methods and steps their exploration reached (model/src/reach.ts), kept with them
 *     in the cache. Another policy's row goes to its worker with the reach of the baseline's row
 *     on the same profile and scenario (waiting for it when it is explored in this run); the
 *     worker answers `same` without exploring when the policy changes none of them, and the row
 *     is the baseline's result with the policy's id (relabelPolicy).
 * Results reach `done` as they come, with whether a worker explored the row (false: the cache,
 * an equivalent profile's row, or the baseline's answered it).
 */
async function runCached<R>(
  tasks: readonly Task[],
  opts: PoolOptions,
  cache: RowCache | undefined,
  fromReply: (t: Task, o: Outcome) => { result: R; ok: boolean; reads?: readonly string[]; reach?: ReachData },
  done: (t: Task, r: R, explored: boolean) => void,
): Promise<void> {
  const place = (t: Task) => `${t.profile.id}\u0000${t.scenario.id}`;
  // Rows from the baseline's whenever the cache is read (--no-cache explores every row).
  const byBaseline = cache?.reads === true;
  const baselines = new Map<string, Baseline>();
  const explored = new Set<string>();
  const misses: Task[] = [];
  for (const t of tasks) {
    const hit = cache?.entry(t);
    if (hit) {
      cache!.stats.hits++;
      if (t.policy === BASELINE && byBaseline) baselines.set(place(t), baselineOf(hit.result, hit.reads, hit.reach));
      done(t, hit.result as R, false);
    } else {
      misses.push(t);
      if (t.policy === BASELINE && byBaseline) explored.add(place(t));
    }
  }
  /** The baseline row of a task's profile and scenario: known (or null: none to share), or undefined while it runs. */
  const baselineFor = (t: Task): Baseline | undefined => {
    const k = place(t);
    if (baselines.has(k)) return baselines.get(k);
    if (explored.has(k)) return undefined;
    // Not in this run (--policy without it): its stored row, if the cache has one.
    const hit = cache!.entry({ ...t, policy: BASELINE });
    const b = hit ? baselineOf(hit.result, hit.reads, hit.reach) : null;
    baselines.set(k, b);
    return b;
  };
  const offered = new Map<number, { result: R; reads: readonly string[] }>();
  const waitingBaseline = new Map<string, Task[]>();
  /** A task as it goes to a worker, or undefined when it waits for its baseline row. */
  const launch = (t: Task): Task | undefined => {
    if (!cache) return t;
    // The baseline notes its reach whenever its row is stored (--no-cache too): later runs use it.
    if (t.policy === BASELINE) return { ...t, recordReach: true };
    if (!byBaseline) return t;
    const b = baselineFor(t);
    if (b === undefined) {
      const k = place(t);
      waitingBaseline.set(k, [...(waitingBaseline.get(k) ?? []), t]);
      return undefined;
    }
    const as = b ? relabelPolicy({ ...b.result, ordinal: t.ordinal }, BASELINE, t.policy) : undefined;
    if (!b || !as) return t;
    offered.set(t.ordinal, { result: as as R, reads: b.reads });
    return { ...t, baselineReach: b.reach };
  };
  /** A baseline row explored in this run is in: the rows that waited for it go (into `next`). */
  const baselineIn = (t: Task, b: Baseline, next: Task[]): void => {
    const k = place(t);
    if (t.policy !== BASELINE || !explored.delete(k)) return;
    baselines.set(k, b);
    for (const x of waitingBaseline.get(k) ?? []) {
      const l = launch(x);
      if (l) next.push(l);
    }
    waitingBaseline.delete(k);
  };
  // One row of each group first; the others wait for it (they go first when released).
  const first: Task[] = [];
  const waiting = new Map<string, Task[]>();
  for (const t of longestFirst(misses, cache)) {
    const g = cache?.shares() ? cache.groupOf(t) : undefined;
    const w = g === undefined ? undefined : waiting.get(g);
    if (w) w.push(t);
    else {
      if (g !== undefined) waiting.set(g, []);
      const l = launch(t);
      if (l) first.push(l);
    }
  }
  /** The group's running row is in: hand it on, and release what waited for it (the tasks to run next). */
  const settle = (
    t: Task,
    result: R,
    ok: boolean,
    reads: readonly string[] | undefined,
    reach: ReachData | undefined,
    explored: boolean,
  ): Task[] => {
    done(t, result, explored);
    const next: Task[] = [];
    baselineIn(t, ok ? baselineOf(result, reads ?? [], reach) : null, next);
    const g = cache?.shares() ? cache.groupOf(t) : undefined;
    const w = g === undefined ? undefined : waiting.get(g);
    if (!w?.length) return next;
    const still: Task[] = [];
    for (const x of w) {
      const hit = ok ? cache!.entry(x) : undefined;
      if (hit) {
        cache!.stats.shared++;
        done(x, hit.result as R, false);
        baselineIn(x, baselineOf(hit.result, hit.reads, hit.reach), next);
      } else still.push(x);
    }
    // The group's next row runs (or waits for its baseline row: it is still the group's running row).
    const n = still.shift();
    waiting.set(g!, still);
    const l = n ? launch(n) : undefined;
    if (l) next.push(l);
    return next;
  };
  await runPool(first, opts, (t, o) => {
    if (o.ok && o.reply.kind === "same") {
      const a = offered.get(t.ordinal)!;
      cache!.stats.baseline++;
      cache!.put(t, a.result as never, a.reads);
      return settle(t, a.result, true, a.reads, undefined, false);
    }
    const { result, ok, reads, reach } = fromReply(t, o);
    if (cache) {
      if (o.ok) cache.stats.explored++;
      const r = result as { states?: number; explorations?: number };
      cache.stats.states += r.states ?? r.explorations ?? 0;
      if (ok) cache.put(t, result as never, reads, t.policy === BASELINE ? reach : undefined);
    }
    return settle(t, result, ok, reads, reach, true);
  });
  // Every row waits for a row that runs, so none is left; were one left, it would run here, as is.
  const left = [...waitingBaseline.values(), ...waiting.values()].flat();
  if (left.length)
    await runPool(left, opts, (t, o) => {
      done(t, fromReply(t, o).result, true);
      return undefined;
    });
  cache?.close();
}

/** A baseline row as the other policies' rows use it: one with its reach and no `error` cell (else null). */
function baselineOf(result: unknown, reads: readonly string[], reach: ReachData | undefined): Baseline {
  const r = result as JobResult | FrontierRowResult;
  if (!reach || !r.cells || r.cells.some((c) => c.verdict === "error")) return null;
  return { result: r, reads, reach };
}

/** A row the pool could not run (its worker hung, died or did not load): every property `error`, with why. */
function failedRow(t: Task, message: string): JobResult {
  // A scenario that cannot happen on the profile needs no policy code: it is what runCell says.
  const na = notApplicableRow(t.policy, t.profile, t.scenario);
  if (na) return { ordinal: t.ordinal, cells: na.cells, guards: [], states: 0 };
  return {
    ordinal: t.ordinal,
    cells: errorCells(t.policy, t.profile, t.scenario, message),
    guards: [],
    states: 0,
  };
}

/** The matrix with every row explored in the pool: the same result runMatrix gives in one thread. */
export async function poolMatrix(
  input: MatrixInput,
  opts: PoolOptions,
  cache?: RowCache,
  /** Run the rows in reverse order (the determinism check's second run). */
  reverse = false,
): Promise<MatrixResult> {
  const bounds = input.bounds ?? DEFAULT_BOUNDS;
  const strategy = input.strategy ?? BFS;
  const costTable = input.costTable ?? DEFAULT_COST_TABLE;
  const jobs = planMatrix(input).filter((j) => inShard(j.ordinal, input.shard));
  const tasks: Task[] = jobs.map((j) => ({
    kind: "matrix",
    ordinal: j.ordinal,
    policy: j.policy.id,
    profile: j.profile,
    scenario: j.scenario,
    bounds,
    strategy,
    costTable,
    exact: input.exact === true,
  }));
  const results: JobResult[] = [];
  await runCached<JobResult>(
    reverse ? [...tasks].reverse() : tasks,
    opts,
    cache,
    (t, o) =>
      o.ok && o.reply.kind === "matrix"
        ? {
            result: o.reply.result,
            ok: true,
            reads: o.reply.reads,
            ...(o.reply.reach ? { reach: o.reply.reach } : {}),
          }
        : { result: failedRow(t, o.ok ? "no result" : o.message), ok: false },
    (_t, r, explored) => {
      results.push(r);
      input.onCell?.(results.length, tasks.length, r.cells, r.states, explored);
    },
  );
  return assembleMatrix(input, results);
}

/** The frontier with every row in the pool; a row that could not run is listed among the problems. */
export async function poolFrontier(input: FrontierInput, opts: PoolOptions, cache?: RowCache): Promise<FrontierResult> {
  const scenarios = input.scenarios ?? SCENARIO_ROWS;
  const tasks: Task[] = [];
  for (const policy of input.policies)
    for (const profile of input.profiles)
      for (const scenario of scenarios)
        tasks.push({
          kind: "frontier",
          ordinal: tasks.length,
          policy: policy.id,
          profile,
          scenario,
          bounds: input.bounds ?? DEFAULT_BOUNDS,
          strategy: input.strategy ?? BFS,
          exact: input.exact === true,
          ceilings: input.ceilings ?? {},
          ...(input.dimensions ? { dimensions: input.dimensions } : {}),
          ...(input.properties ? { properties: input.properties } : {}),
        });
  const rows: FrontierRowResult[] = [];
  const failed: { ordinal: number; path: string; message: string }[] = [];
  let explorations = 0;
  await runCached<FrontierRowResult>(
    tasks,
    opts,
    cache,
    (t, o) => {
      if (o.ok && o.reply.kind === "frontier")
        return {
          result: o.reply.result,
          ok: true,
          reads: o.reply.reads,
          ...(o.reply.reach ? { reach: o.reply.reach } : {}),
        };
      failed.push({
        ordinal: t.ordinal,
        path: opts.paths.get(t.policy) ?? t.policy,
        message: `${t.profile.id}/${t.scenario.id}: ${o.ok ? "no result" : o.message}`,
      });
      return { result: { ordinal: t.ordinal, cells: [], explorations: 0 }, ok: false };
    },
    (_t, r, explored) => {
      rows.push(r);
      explorations += r.explorations;
      input.onRow?.(rows.length, tasks.length, explorations, explored);
    },
  );
  failed.sort((a, b) => a.ordinal - b.ordinal);
  return assembleFrontier(
    { ...input, problems: [...(input.problems ?? []), ...failed.map(({ path, message }) => ({ path, message }))] },
    rows,
  );
}
