import {
  assembleFrontier,
  assembleMatrix,
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

/**
 * Run tasks through the cache and the pool: the rows the cache holds are handed back at once
 * (in matrix order), the rest explored longest first and stored. Of the rows left, those of one
 * policy and scenario row on different profiles (a group, RowCache.groupOf) run one at a time:
 * when one is explored, the cache holds it under the profile fields its exploration read, and
 * every other profile of the group equal on those fields is answered from it (an equivalent
 * profile: the same exploration), the first one that is not runs next. Results reach `done` as
 * they come.
 */
async function runCached<R>(
  tasks: readonly Task[],
  opts: PoolOptions,
  cache: RowCache | undefined,
  fromReply: (t: Task, o: Outcome) => { result: R; ok: boolean; reads?: readonly string[] },
  done: (t: Task, r: R) => void,
): Promise<void> {
  const misses: Task[] = [];
  for (const t of tasks) {
    const hit = cache?.get(t);
    if (hit) {
      cache!.stats.hits++;
      done(t, hit as R);
    } else misses.push(t);
  }
  // One row of each group first; the others wait for it (they go first when released).
  const first: Task[] = [];
  const waiting = new Map<string, Task[]>();
  for (const t of longestFirst(misses, cache)) {
    const g = cache?.shares(t) ? cache.groupOf(t) : undefined;
    const w = g === undefined ? undefined : waiting.get(g);
    if (w) w.push(t);
    else {
      if (g !== undefined) waiting.set(g, []);
      first.push(t);
    }
  }
  await runPool(first, opts, (t, o) => {
    const { result, ok, reads } = fromReply(t, o);
    if (cache) {
      if (o.ok) cache.stats.explored++;
      const r = result as { states?: number; explorations?: number };
      cache.stats.states += r.states ?? r.explorations ?? 0;
      if (ok) cache.put(t, result as never, reads);
    }
    done(t, result);
    const g = cache?.shares(t) ? cache.groupOf(t) : undefined;
    const w = g === undefined ? undefined : waiting.get(g);
    if (!w?.length) return undefined;
    const still: Task[] = [];
    for (const x of w) {
      const hit = ok ? cache!.get(x) : undefined;
      if (hit) {
        cache!.stats.shared++;
        done(x, hit as R);
      } else still.push(x);
    }
    const next = still.shift();
    waiting.set(g!, still);
    return next ? [next] : undefined;
  });
  cache?.close();
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
        ? { result: o.reply.result, ok: true, reads: o.reply.reads }
        : { result: failedRow(t, o.ok ? "no result" : o.message), ok: false },
    (_t, r) => {
      results.push(r);
      input.onCell?.(results.length, tasks.length, r.cells, r.states);
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
      if (o.ok && o.reply.kind === "frontier") return { result: o.reply.result, ok: true };
      failed.push({
        ordinal: t.ordinal,
        path: opts.paths.get(t.policy) ?? t.policy,
        message: `${t.profile.id}/${t.scenario.id}: ${o.ok ? "no result" : o.message}`,
      });
      return { result: { ordinal: t.ordinal, cells: [], explorations: 0 }, ok: false };
    },
    (_t, r) => {
      rows.push(r);
      explorations += r.explorations;
      input.onRow?.(rows.length, tasks.length, explorations);
    },
  );
  failed.sort((a, b) => a.ordinal - b.ordinal);
  return assembleFrontier(
    { ...input, problems: [...(input.problems ?? []), ...failed.map(({ path, message }) => ({ path, message }))] },
    rows,
  );
}
