import { type Bounds, DEFAULT_BOUNDS, exploreMinimax } from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import { createRootContainer, type Policy, type Scenario, withAssumptions } from "@switchlab/model";
import type { DependencyContainer } from "tsyringe";
import { type MatrixCell, TOOL } from "../matrix/contract.js";
import { cellName } from "../matrix/row.js";
import { BFS, counterexample, prepareCell, runCell, type Strategy } from "../matrix/run-cell.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIO_ROWS } from "../scenarios/index.js";
import { withDeadValues, worldModel } from "../world-model.js";
import {
  FRONTIER_SCHEMA,
  type FrontierCell,
  type FrontierEdge,
  type FrontierResult,
  type FrontierSummary,
} from "./contract.js";
import { ceilingOf, DIMENSIONS, type Dimension, type DimensionId, dimensionValue, overrideOf } from "./dimensions.js";
import { requirementOf } from "./requirements.js";
import { searchEdge } from "./search.js";

export interface FrontierInput {
  readonly policies: readonly Policy[];
  readonly profiles: readonly HardwareProfile[];
  readonly scenarios?: readonly Scenario[];
  readonly dimensions?: readonly DimensionId[];
  /** Only the cells of these properties (all of them when absent). */
  readonly properties?: readonly string[];
  /** Ceilings in place of the dimensions' own. */
  readonly ceilings?: Readonly<Partial<Record<DimensionId, number>>>;
  readonly bounds?: Bounds;
  readonly strategy?: Strategy;
  readonly exact?: boolean;
  readonly problems?: readonly { path: string; message: string }[];
  /**
   * After each (policy, profile, scenario): how many rows are done, and the explorations so far;
   * `explored` is false for a row answered without exploring it (the CLI's row cache).
   */
  readonly onRow?: (done: number, total: number, explorations: number, explored?: boolean) => void;
}

/** The edge of every holding or violated cell along one monotone dimension, from one minimax exploration at the ceiling. */
function minimaxEdges(
  root: DependencyContainer,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
  base: readonly MatrixCell[],
  d: Dimension,
  ceiling: number,
  bounds: Bounds,
  keepDeadValues: boolean,
): Map<string, FrontierEdge> {
  const out = new Map<string, FrontierEdge>();
  const at = (v: number) => withAssumptions(scenario, overrideOf(d, v));
  const top = prepareCell(root, policy, profile, at(ceiling));
  const requirement = requirementOf(d.id, ceiling);
  if (!requirement) return out;
  const r = withDeadValues(keepDeadValues, (keep) =>
    exploreMinimax(worldModel(top.cell, keep), top.explorerProps, bounds, requirement),
  );
  const byId = new Map(r.properties.map((p) => [p.id, p]));
  // The least value at which every guard of the scenario is reached (a pass below it is vacuous).
  let guardsAt = d.floor;
  for (const g of scenario.guards) {
    const v = byId.get(`guard:${g}`)?.value;
    guardsAt = v === undefined ? Number.POSITIVE_INFINITY : Math.max(guardsAt, v);
  }
  for (const c of base) {
    if (c.verdict !== "holds" && c.verdict !== "violated") continue;
    const from = dimensionValue(c.assumptions, d);
    if (from === undefined) continue;
    const m = byId.get(c.property);
    const least = m?.value === undefined ? undefined : Math.max(d.floor, m.value);
    const edge = { dimension: d.id, from, floor: d.floor, ceiling, probes: [ceiling], method: "minimax" } as const;
    // The path the search found must replay in the model built at its value: if it does not,
    // the requirement or the dimension's monotonicity is wrong, and the edge says so.
    const shown = (v: number): Pick<FrontierEdge, "counterexample" | "inconsistent"> => {
      const p = PROPERTIES.find((x) => x.id === c.property);
      if (!p || !m?.path) return { inconsistent: `no path for ${c.property} at ${v}` };
      try {
        const cx = counterexample(prepareCell(root, policy, profile, at(v)).cell, p, m.path);
        return { counterexample: { actions: cx.actions, symptom: cx.symptom, reproduce: cx.reproduce } };
      } catch (e) {
        return {
          inconsistent: `the path found at ${v} does not replay there: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    };
    if (c.verdict === "holds") {
      if (least !== undefined && least <= from) {
        out.set(c.property, {
          ...edge,
          direction: "up",
          inconsistent: `violated at ${least} by the minimax search, but holds at ${from}`,
        });
        continue;
      }
      if (least !== undefined)
        out.set(c.property, { ...edge, direction: "up", breaksAt: least, holdsUpTo: least - 1, ...shown(least) });
      else {
        const proven = Math.min(ceiling, r.settledUpTo);
        out.set(c.property, {
          ...edge,
          direction: "up",
          holdsUpTo: proven,
          ...(proven < ceiling ? { unknownAbove: proven } : {}),
        });
      }
    } else {
      if (least === undefined || least > from) {
        out.set(c.property, {
          ...edge,
          direction: "down",
          inconsistent: `violated at ${from}, but the minimax search finds ${least === undefined ? "no violation" : `its first at ${least}`}`,
        });
        continue;
      }
      out.set(c.property, {
        ...edge,
        direction: "down",
        breaksAt: least,
        ...(least > d.floor && guardsAt <= least - 1 ? { holdsUpTo: least - 1 } : {}),
        ...shown(least),
      });
    }
  }
  return out;
}

function failedEdge(d: Dimension, c: MatrixCell, ceiling: number, why: string): FrontierEdge {
  return {
    dimension: d.id,
    direction: c.verdict === "holds" ? "up" : "down",
    from: dimensionValue(c.assumptions, d) ?? -1,
    floor: d.floor,
    ceiling,
    method: "minimax",
    skipped: why,
    probes: [ceiling],
  };
}

/** The frontier of one (policy, profile, scenario): every holding or violated cell, every dimension. */
export function frontierRow(
  root: DependencyContainer,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
  dims: readonly Dimension[],
  ceilings: Readonly<Partial<Record<DimensionId, number>>>,
  bounds: Bounds,
  strategy: Strategy,
  exact: boolean,
): { cells: FrontierCell[]; explorations: number } {
  let explorations = 1;
  const base = runCell(root, policy, profile, scenario, bounds, PROPERTIES, strategy, exact).cells;
  const memo = new Map<string, readonly MatrixCell[]>();
  const rowAt = (d: Dimension, v: number): readonly MatrixCell[] => {
    const key = `${d.id}=${v}`;
    let r = memo.get(key);
    if (!r) {
      explorations++;
      r = runCell(
        root,
        policy,
        profile,
        withAssumptions(scenario, overrideOf(d, v)),
        bounds,
        PROPERTIES,
        strategy,
        exact,
      ).cells;
      memo.set(key, r);
    }
    return r;
  };
  const searched = base.some((c) => c.verdict === "holds" || c.verdict === "violated");
  const viaMinimax = new Map<DimensionId, Map<string, FrontierEdge>>();
  if (searched)
    for (const d of dims) {
      if (!d.monotone || !requirementOf(d.id, 0)) continue;
      if (!base.some((c) => dimensionValue(c.assumptions, d) !== undefined)) continue;
      let edges: Map<string, FrontierEdge>;
      try {
        edges = minimaxEdges(
          root,
          policy,
          profile,
          scenario,
          base,
          d,
          ceilingOf(d, ceilings[d.id]),
          bounds,
          strategy.keepDeadValues === true,
        );
      } catch (e) {
        // The policy throws at the ceiling (a value the row never ran at): every edge says so.
        const why = `the policy failed at ${d.option} ${ceilingOf(d, ceilings[d.id])}: ${e instanceof Error ? e.message : String(e)}`;
        edges = new Map(base.map((c) => [c.property, failedEdge(d, c, ceilingOf(d, ceilings[d.id]), why)]));
      }
      viaMinimax.set(d.id, edges);
      explorations++;
    }
  const cells: FrontierCell[] = [];
  for (const c of base) {
    if (c.verdict !== "holds" && c.verdict !== "violated") continue;
    const edges = dims.map((d): FrontierEdge => {
      const from = dimensionValue(c.assumptions, d);
      const ceiling = ceilingOf(d, ceilings[d.id]);
      const direction = c.verdict === "holds" ? "up" : "down";
      if (from === undefined)
        return {
          dimension: d.id,
          direction,
          from: -1,
          floor: d.floor,
          ceiling,
          method: "probes",
          skipped: `${d.option} is ${String(c.assumptions[d.id])} in this row: nothing to widen`,
          probes: [],
        };
      const mm = viaMinimax.get(d.id);
      if (mm) {
        const e = mm.get(c.property);
        if (e) return e;
        return failedEdge(d, c, ceiling, "not searched");
      }
      memo.set(`${d.id}=${from}`, base);
      return searchEdge(d, from, ceiling, c.verdict as "holds" | "violated", (v) =>
        rowAt(d, v).find((x) => x.property === c.property),
      );
    });
    cells.push({
      policy: c.policy,
      profile: c.profile,
      scenario: c.scenario,
      property: c.property,
      verdict: c.verdict,
      assumptions: c.assumptions,
      edges,
    });
  }
  return { cells, explorations };
}

/** Per policy and dimension, the weakest point over the cells that hold. */
export function summarise(
  policies: readonly Policy[],
  cells: readonly FrontierCell[],
  dims: readonly Dimension[],
  ceilings: Readonly<Partial<Record<DimensionId, number>>>,
): FrontierSummary[] {
  const out: FrontierSummary[] = [];
  for (const p of policies)
    for (const d of dims) {
      const ceiling = ceilingOf(d, ceilings[d.id]);
      let breaksAt: number | undefined;
      let where: string | undefined;
      let holdsUpTo = ceiling;
      let n = 0;
      for (const c of cells) {
        if (c.policy !== p.id || c.verdict !== "holds") continue;
        const e = c.edges.find((x) => x.dimension === d.id);
        if (!e || e.skipped) continue;
        n++;
        if (e.breaksAt !== undefined && (breaksAt === undefined || e.breaksAt < breaksAt)) {
          breaksAt = e.breaksAt;
          where = cellName(c);
        }
        holdsUpTo = Math.min(holdsUpTo, e.holdsUpTo ?? e.from);
      }
      out.push({
        policy: p.id,
        dimension: d.id,
        ...(breaksAt !== undefined ? { breaksAt, where } : {}),
        holdsUpTo,
        ceiling,
        cells: n,
      });
    }
  return out;
}

/** One row of the frontier: its place in matrix order, its cells (filtered to the input's properties), its explorations. */
export interface FrontierRowResult {
  readonly ordinal: number;
  readonly cells: readonly FrontierCell[];
  readonly explorations: number;
}

/** The dimensions a frontier input widens. */
export function frontierDimensions(input: Pick<FrontierInput, "dimensions">): Dimension[] {
  return DIMENSIONS.filter((d) => !input.dimensions || input.dimensions.includes(d.id));
}

/** Run one row of the frontier (what a worker runs for the CLI's pool). */
export function runFrontierRow(
  root: DependencyContainer,
  input: Omit<FrontierInput, "policies" | "profiles" | "scenarios" | "onRow">,
  ordinal: number,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
): FrontierRowResult {
  const r = frontierRow(
    root,
    policy,
    profile,
    scenario,
    frontierDimensions(input),
    input.ceilings ?? {},
    input.bounds ?? DEFAULT_BOUNDS,
    input.strategy ?? BFS,
    input.exact === true,
  );
  return {
    ordinal,
    cells: r.cells.filter((c) => !input.properties || input.properties.includes(c.property)),
    explorations: r.explorations,
  };
}

/** The frontier from its rows (in any order; they are put in matrix order). */
export function assembleFrontier(input: FrontierInput, rows: readonly FrontierRowResult[]): FrontierResult {
  const dims = frontierDimensions(input);
  const ceilings = input.ceilings ?? {};
  const sorted = [...rows].sort((a, b) => a.ordinal - b.ordinal);
  const cells = sorted.flatMap((r) => r.cells);
  return {
    schema: FRONTIER_SCHEMA,
    tool: TOOL,
    run: { bounds: input.bounds ?? DEFAULT_BOUNDS, strategy: input.strategy ?? BFS, exact: input.exact === true },
    dimensions: dims.map((d) => ({ ...d, ceiling: ceilingOf(d, ceilings[d.id]) })),
    ...(input.properties ? { properties: input.properties } : {}),
    policies: input.policies.map((p) => ({ id: p.id, title: p.title })),
    cells,
    summary: summarise(input.policies, cells, dims, ceilings),
    explorations: sorted.reduce((n, r) => n + r.explorations, 0),
    problems: input.problems ?? [],
  };
}

/**
 * `switchlab frontier` in this thread: for every (policy, profile, scenario), explore the row at
 * its assumptions, then move each dimension alone (search.ts) for every cell that holds or is
 * violated. Every value reported comes from an exploration at that value.
 */
export function runFrontier(input: FrontierInput): FrontierResult {
  const scenarios = input.scenarios ?? SCENARIO_ROWS;
  const root = createRootContainer();
  const rows: FrontierRowResult[] = [];
  const total = input.policies.length * input.profiles.length * scenarios.length;
  let explorations = 0;
  for (const policy of input.policies)
    for (const profile of input.profiles)
      for (const scenario of scenarios) {
        const r = runFrontierRow(root, input, rows.length, policy, profile, scenario);
        rows.push(r);
        explorations += r.explorations;
        input.onRow?.(rows.length, total, explorations);
      }
  return assembleFrontier(input, rows);
}
