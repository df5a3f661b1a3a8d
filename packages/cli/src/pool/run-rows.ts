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
import type { Task } from "./messages.js";
import { type PoolOptions, runPool } from "./pool.js";

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
export async function poolMatrix(input: MatrixInput, opts: PoolOptions): Promise<MatrixResult> {
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
  await runPool(tasks, opts, (t, o) => {
    const r = o.ok && o.reply.kind === "matrix" ? o.reply.result : failedRow(t, o.ok ? "no result" : o.message);
    results.push(r);
    input.onCell?.(results.length, tasks.length, r.cells, r.states);
  });
  return assembleMatrix(input, results);
}

/** The frontier with every row in the pool; a row that could not run is listed among the problems. */
export async function poolFrontier(input: FrontierInput, opts: PoolOptions): Promise<FrontierResult> {
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
  await runPool(tasks, opts, (t, o) => {
    if (o.ok && o.reply.kind === "frontier") {
      rows.push(o.reply.result);
      explorations += o.reply.result.explorations;
    } else {
      rows.push({ ordinal: t.ordinal, cells: [], explorations: 0 });
      failed.push({
        ordinal: t.ordinal,
        path: opts.paths.get(t.policy) ?? t.policy,
        message: `${t.profile.id}/${t.scenario.id}: ${o.ok ? "no result" : o.message}`,
      });
    }
    input.onRow?.(rows.length, tasks.length, explorations);
  });
  failed.sort((a, b) => a.ordinal - b.ordinal);
  return assembleFrontier(
    { ...input, problems: [...(input.problems ?? []), ...failed.map(({ path, message }) => ({ path, message }))] },
    rows,
  );
}
