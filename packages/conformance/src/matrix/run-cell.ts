import {
  type BoundName,
  type Bounds,
  BREADTH_FIRST,
  DEPTH_FIRST,
  ExplorationError,
  type ExploreResult,
  explore,
  type Property,
  randomWalks,
} from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import { STEP_BUDGET } from "@switchlab/kvm";
import {
  type AnyAssumption,
  ASSUMPTIONS,
  assumptionsOf,
  buildCell,
  type Cell,
  currentProbe,
  type Policy,
  PROBE_STATES,
  renderTrace,
  replay,
  runLoopStuck,
  type Scenario,
  scenarioNotApplicable,
  type World,
} from "@switchlab/model";
import type { DependencyContainer } from "tsyringe";
import { GUARDS, guardProperty } from "../guards.js";
import { type ConformanceProperty, PROPERTIES } from "../properties/index.js";
import { findScenarioRow } from "../scenarios/index.js";
import { BFS, type Strategy } from "../strategy.js";
import { withDeadValues, worldModel } from "../world-model.js";
import { cellOf, type GuardResult, type MatrixCell } from "./contract.js";
import { pluginErrorMessage } from "./plugin-error.js";
import { reproduceLine } from "./row.js";

/** How a user raises each explorer bound (the CLI reads these options and variables). */
export const BOUND_SETTING: Readonly<Record<BoundName, string>> = {
  maxDepth: "--max-depth or SWITCHLAB_MAX_DEPTH",
  maxStates: "--max-states or SWITCHLAB_MAX_STATES",
  timeLimitMs: "SWITCHLAB_TIME_LIMIT_MS",
};

/**
 * The options that give a scenario its assumptions (each record's flag), where they differ from
 * the built-in scenario's.
 */
export function assumptionFlags(scenario: Scenario, list: readonly AnyAssumption[] = ASSUMPTIONS): string[] {
  const base = findScenarioRow(scenario.id);
  const out: string[] = [];
  for (const a of list) {
    const v = a.read(scenario);
    if (!base || v !== a.read(base)) out.push(a.flag, String(v));
  }
  return out;
}

export { BFS, type Strategy };

/** The explorer's search for a strategy (a fresh one each time: random walks hold their generator). */
export function searchOf(s: Strategy) {
  return s.kind === "bfs" ? BREADTH_FIRST : s.kind === "dfs" ? DEPTH_FIRST : randomWalks(s);
}

export interface CellRun {
  readonly cells: MatrixCell[];
  readonly guards: GuardResult[];
  readonly exploration?: ExploreResult;
}

/** A property's counterexample as the matrix reports it: the trace replayed, its symptom, the line that reproduces it. */
export function counterexample(
  cell: Cell,
  p: ConformanceProperty,
  names: readonly string[],
): NonNullable<MatrixCell["counterexample"]> {
  const t = replay(cell, names);
  const seen = p.worldSymptom ? t.symptoms.find((s) => s.id === p.worldSymptom) : undefined;
  return {
    actions: names,
    trace: renderTrace(t),
    timeline: t.steps,
    symptom: seen?.text ?? p.symptom,
    reproduce: reproduceLine(
      { policy: cell.policy.id, profile: cell.profile.id, scenario: cell.scenario.id },
      p.id,
      assumptionFlags(cell.scenario),
    ),
  };
}

/**
 * The check every cell carries beside its properties: the run loop reaches a VM-exit within
 * STEP_BUDGET steps. A patched sequence that jumps back for ever drives the watchdog (part of
 * the explored state) past the budget; the world then has no action, and this property is
 * violated on the path that loops.
 */
export const RUN_LOOP_EXITS = "run-loop-exits";
const runLoopExits: Property<World> = { id: RUN_LOOP_EXITS, kind: "always", holds: (w) => !runLoopStuck(w) };

/** A cell made ready to explore: the properties that apply to it, and its guards as `sometimes` properties. */
export interface PreparedCell {
  readonly cell: Cell;
  readonly applicable: readonly ConformanceProperty[];
  readonly explorerProps: readonly Property<World>[];
}

/** Build a cell and the explorer's properties for it (a policy that throws here throws to the caller). */
export function prepareCell(
  root: DependencyContainer,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
  properties: readonly ConformanceProperty[] = PROPERTIES,
): PreparedCell {
  const cell = buildCell(root, policy, profile, scenario);
  const applicable = properties.filter((p) => !p.applies || p.applies(cell));
  const guards = scenario.guards.map((id) => {
    const g = GUARDS.find((x) => x.id === id);
    if (!g) throw new Error(`scenario ${scenario.id} names an unknown guard ${id}`);
    return guardProperty(g, cell);
  });
  return {
    cell,
    applicable,
    explorerProps: [runLoopExits, ...applicable.map((p) => p.toExplorer(cell)), ...guards],
  };
}

/**
 * Every property of a row `error`, with why (what a policy threw, a run loop that never exits,
 * a worker that hung or died); `more` adds what the exploration did find, per property.
 */
export function errorCells(
  policy: string,
  profile: Pick<HardwareProfile, "id">,
  scenario: Scenario,
  message: string,
  properties: readonly ConformanceProperty[] = PROPERTIES,
  more: (p: ConformanceProperty) => Partial<MatrixCell> = () => ({}),
): MatrixCell[] {
  const assumptions = assumptionsOf(scenario);
  return properties.map((p) =>
    cellOf({
      policy,
      profile: profile.id,
      scenario: scenario.id,
      property: p.id,
      verdict: "error",
      assumptions,
      states: 0,
      transitions: 0,
      complete: false,
      message,
      ...more(p),
    }),
  );
}

/** The row of a scenario that cannot happen on a profile (every cell `not-applicable`, with why), or undefined. */
export function notApplicableRow(
  policy: string,
  profile: HardwareProfile,
  scenario: Scenario,
  properties: readonly ConformanceProperty[] = PROPERTIES,
): CellRun | undefined {
  const na = scenarioNotApplicable(scenario, profile);
  if (na === undefined) return undefined;
  const assumptions = assumptionsOf(scenario);
  return {
    cells: properties.map((p) =>
      cellOf({
        policy,
        profile: profile.id,
        scenario: scenario.id,
        property: p.id,
        verdict: "not-applicable",
        assumptions,
        states: 0,
        transitions: 0,
        complete: true,
        message: na,
      }),
    ),
    guards: [],
  };
}

/**
 * Explore one (policy, profile, scenario) with breadth-first search and turn the result into one
 * matrix cell per property plus the scenario's guards. Anything a policy throws makes every
 * cell of the triple `error` with the message; it never stops the matrix.
 */
export function runCell(
  root: DependencyContainer,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
  bounds: Bounds,
  properties: readonly ConformanceProperty[] = PROPERTIES,
  strategy: Strategy = BFS,
  exact = false,
): CellRun {
  const key = { policy: policy.id, profile: profile.id, scenario: scenario.id };
  const assumptions = assumptionsOf(scenario);
  const na = notApplicableRow(policy.id, profile, scenario, properties);
  if (na) return na;
  let cell: Cell;
  let result: ExploreResult;
  let applicable: readonly ConformanceProperty[];
  let built: Cell | undefined;
  try {
    const prepared = prepareCell(root, policy, profile, scenario, properties);
    cell = prepared.cell;
    built = cell;
    applicable = prepared.applicable;
    const progress = currentProbe()?.words.subarray(PROBE_STATES, PROBE_STATES + 1);
    result = withDeadValues(strategy.keepDeadValues === true, (keep) =>
      explore(worldModel(prepared.cell, keep), prepared.explorerProps, bounds, searchOf(strategy), {
        exact,
        chains: strategy.kind === "bfs" && strategy.chains === true,
        ...(progress ? { progress } : {}),
      }),
    );
  } catch (e) {
    const message = pluginErrorMessage(e instanceof ExplorationError ? e.thrown : e);
    if (!(e instanceof ExplorationError) || !built)
      return { cells: errorCells(policy.id, profile, scenario, message, properties), guards: [] };
    // The interleaving that threw, replayable: the trace up to the state, then the choice that threw.
    const before = e.inChoice ? e.path.slice(0, -1) : e.path;
    const t = replay(built, before);
    const last = e.inChoice ? `${e.path.at(-1)}: threw: ${message}` : `listing the choices threw: ${message}`;
    return {
      cells: errorCells(policy.id, profile, scenario, message, properties, (p) => ({
        counterexample: {
          actions: e.path,
          trace: [...renderTrace(t), last],
          timeline: t.steps,
          symptom: message,
          reproduce: reproduceLine(key, p.id, assumptionFlags(scenario)),
        },
      })),
      guards: [],
    };
  }
  const byId = new Map(result.properties.map((r) => [r.id, r]));
  const loops = byId.get(RUN_LOOP_EXITS);
  if (loops?.verdict === "violated" && loops.counterexample) {
    const names = loops.counterexample;
    const t = replay(cell, names);
    const at = cell.env.seq.runLoop.steps[t.final.kvm.pc]?.id ?? `step ${t.final.kvm.pc}`;
    const message = `run loop never reaches VM-exit: it ran ${STEP_BUDGET} steps without one (last at ${at}); a patched sequence loops`;
    return {
      cells: errorCells(policy.id, profile, scenario, message, properties, (p) => ({
        states: result.states,
        transitions: result.transitions,
        complete: result.complete,
        counterexample: {
          actions: names,
          trace: renderTrace(t),
          timeline: t.steps,
          symptom: message,
          reproduce: reproduceLine(key, p.id, assumptionFlags(scenario)),
        },
      })),
      guards: [],
      exploration: result,
    };
  }
  const guards: GuardResult[] = scenario.guards.map((id) => {
    const r = byId.get(`guard:${id}`);
    return { ...key, guard: id, reached: r?.verdict === "holds", ...(r?.witness ? { witness: r.witness } : {}) };
  });
  const unreached = guards.filter((g) => !g.reached).map((g) => g.guard);
  // What a property that was not violated can claim: holds only when the exploration was
  // complete and reached every guard; else unknown (a bound stopped it, naming the bound) or
  // vacuous (a guard was never reached, naming it).
  const notViolated = (): Pick<MatrixCell, "verdict" | "message"> => {
    if (!result.complete) {
      const b = result.bound;
      return {
        verdict: "unknown",
        message: b
          ? `not every state was explored: ${b.name} = ${b.value} stopped the search (${b.hint}; raise it with ${BOUND_SETTING[b.name]})`
          : `${result.strategy} samples the space and never explores all of it`,
      };
    }
    if (unreached.length)
      return {
        verdict: "vacuous",
        message: `the exploration never reached ${unreached.map((g) => `guard ${g}`).join(", ")}: the window this scenario is about was not explored`,
      };
    return { verdict: "holds" };
  };
  const common = {
    assumptions,
    states: result.states,
    transitions: result.transitions,
    complete: result.complete,
    storage: result.storage,
    ...(result.bound ? { bound: { ...result.bound, env: BOUND_SETTING[result.bound.name] } } : {}),
  };
  const cells: MatrixCell[] = properties.map((p) => cellOf(cellFor(p)));
  return { cells, guards, exploration: result };

  function cellFor(p: ConformanceProperty): MatrixCell {
    if (!applicable.includes(p)) {
      return {
        ...key,
        property: p.id,
        verdict: "not-applicable",
        ...common,
        message: `applies only to ${p.appliesTo ?? "other rows"}`,
      };
    }
    const r = byId.get(p.id);
    const longest = r?.longest !== undefined ? { longest: r.longest } : {};
    if (r?.verdict === "violated" && r.counterexample) {
      return {
        ...key,
        property: p.id,
        verdict: "violated",
        ...common,
        ...longest,
        counterexample: counterexample(cell, p, r.counterexample),
      };
    }
    return { ...key, property: p.id, ...notViolated(), ...common, ...longest };
  }
}
