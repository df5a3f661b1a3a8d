import { type Bounds, DEFAULT_BOUNDS } from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import { createRootContainer, mediatedPmuOf, type Policy, type Scenario } from "@switchlab/model";
import type { DependencyContainer } from "tsyringe";
import { type CostTable, DEFAULT_COST_TABLE } from "../costs/cost-table.js";
import { type CostRow, measureCost } from "../costs/measure.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIO_ROWS } from "../scenarios/index.js";
import { type GuardResult, MATRIX_SCHEMA, type MatrixCell, type MatrixResult, TOOL } from "./contract.js";
import { BFS, runCell, type Strategy } from "./run-cell.js";

/** A deterministic share of the explorations: number `index` of `count` (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface MatrixInput {
  readonly policies: readonly Policy[];
  readonly profiles: readonly HardwareProfile[];
  readonly scenarios?: readonly Scenario[];
  readonly problems?: readonly { path: string; message: string }[];
  readonly bounds?: Bounds;
  readonly strategy?: Strategy;
  /** Keep every state's words (no fingerprint collisions possible). */
  readonly exact?: boolean;
  readonly costTable?: CostTable;
  /** Run only this share of the explorations (see shard.ts). */
  readonly shard?: Shard;
  /**
   * Called after each (policy, profile, scenario) with its cells, for progress output; `explored`
   * is false for a row answered without exploring it (the CLI's row cache).
   */
  readonly onCell?: (
    done: number,
    total: number,
    cells: readonly MatrixCell[],
    states: number,
    explored?: boolean,
  ) => void;
}

/** One exploration of the matrix: its place in matrix order and its row. */
export interface Job {
  readonly ordinal: number;
  readonly policy: Policy;
  readonly profile: HardwareProfile;
  readonly scenario: Scenario;
}

/** What one exploration gives the matrix. */
export interface JobResult {
  readonly ordinal: number;
  readonly cells: readonly MatrixCell[];
  readonly guards: readonly GuardResult[];
  readonly cost?: CostRow;
  readonly states: number;
}

/** Every exploration, in matrix order (policy, then profile, then scenario). */
export function planMatrix(input: MatrixInput): Job[] {
  const scenarios = input.scenarios ?? SCENARIO_ROWS;
  const jobs: Job[] = [];
  for (const policy of input.policies)
    for (const profile of input.profiles)
      for (const scenario of scenarios) jobs.push({ ordinal: jobs.length, policy, profile, scenario });
  return jobs;
}

/** Whether an exploration belongs to a shard: ordinals are dealt round-robin, so shards stay balanced. */
export function inShard(ordinal: number, shard: Shard | undefined): boolean {
  return !shard || ordinal % shard.count === shard.index - 1;
}

/** Run one exploration and measure its cost per round trip. */
export function runJob(
  root: DependencyContainer,
  job: Job,
  bounds: Bounds,
  strategy: Strategy,
  costTable: CostTable,
  exact = false,
): JobResult {
  const r = runCell(root, job.policy, job.profile, job.scenario, bounds, PROPERTIES, strategy, exact);
  let cost: CostRow | undefined;
  if (r.exploration) {
    try {
      cost = measureCost(root, job.policy, job.profile, job.scenario, costTable);
    } catch {
      // The exploration above ran the same code; a policy that throws here already made its cells errors.
    }
  }
  return {
    ordinal: job.ordinal,
    cells: r.cells,
    guards: r.guards,
    ...(cost ? { cost } : {}),
    states: r.exploration?.states ?? 0,
  };
}

/** The matrix from the results of its explorations (in any order; they are put in matrix order). */
export function assembleMatrix(input: MatrixInput, results: readonly JobResult[]): MatrixResult {
  const scenarios = input.scenarios ?? SCENARIO_ROWS;
  const sorted = [...results].sort((a, b) => a.ordinal - b.ordinal);
  return {
    schema: MATRIX_SCHEMA,
    tool: TOOL,
    ...(input.shard ? { shard: { index: input.shard.index, count: input.shard.count } } : {}),
    run: { bounds: input.bounds ?? DEFAULT_BOUNDS, strategy: input.strategy ?? BFS, exact: input.exact === true },
    policies: input.policies.map((p) => ({ id: p.id, title: p.title, upstream: p.upstream, touches: p.touches })),
    profiles: input.profiles.map((p) => ({
      id: p.id,
      title: p.title,
      pebsNoIsolation: p.pebsNoIsolation,
      pmuVersion: p.pmuVersion,
      model: p.model,
      stepping: p.stepping,
      microcode: p.microcode,
    })),
    scenarios: scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      kernel: s.kernel,
      switchPath: mediatedPmuOf(s) ? ("mediated" as const) : ("msr-lists" as const),
      ...(s.source ? { source: s.source } : {}),
      guards: s.guards,
    })),
    properties: PROPERTIES.map((p) => ({ id: p.id, title: p.title, symptom: p.symptom })),
    cells: sorted.flatMap((r) => r.cells),
    guards: sorted.flatMap((r) => r.guards),
    costs: sorted.flatMap((r) => (r.cost ? [r.cost] : [])),
    costTable: input.costTable ?? DEFAULT_COST_TABLE,
    problems: input.problems ?? [],
  };
}

/** Run every policy x profile x scenario (or a shard of them) in this thread; every verdict comes from an exploration. */
export function runMatrix(input: MatrixInput): MatrixResult {
  const bounds = input.bounds ?? DEFAULT_BOUNDS;
  const strategy = input.strategy ?? BFS;
  const costTable = input.costTable ?? DEFAULT_COST_TABLE;
  const root = createRootContainer();
  const jobs = planMatrix(input).filter((j) => inShard(j.ordinal, input.shard));
  const results: JobResult[] = [];
  for (const job of jobs) {
    const r = runJob(root, job, bounds, strategy, costTable, input.exact);
    results.push(r);
    input.onCell?.(results.length, jobs.length, r.cells, r.states);
  }
  return assembleMatrix(input, results);
}
