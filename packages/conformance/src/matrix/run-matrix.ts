import { type Bounds, DEFAULT_BOUNDS } from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import { createRootContainer, type Policy, type Scenario } from "@switchlab/model";
import { type CostTable, DEFAULT_COST_TABLE } from "../costs/cost-table.js";
import { type CostRow, measureCost } from "../costs/measure.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIOS } from "../scenarios/index.js";
import { type GuardResult, MATRIX_SCHEMA, type MatrixCell, type MatrixResult } from "./contract.js";
import { runCell, type Strategy } from "./run-cell.js";

export interface MatrixInput {
  readonly policies: readonly Policy[];
  readonly profiles: readonly HardwareProfile[];
  readonly scenarios?: readonly Scenario[];
  readonly problems?: readonly { path: string; message: string }[];
  readonly bounds?: Bounds;
  readonly strategy?: Strategy;
  readonly costTable?: CostTable;
  /** Called after each (policy, profile, scenario) with its cells, for progress output. */
  readonly onCell?: (done: number, total: number, cells: readonly MatrixCell[], states: number) => void;
}

/** Run every policy x profile x scenario; every verdict comes from an exploration. */
export function runMatrix(input: MatrixInput): MatrixResult {
  const scenarios = input.scenarios ?? SCENARIOS;
  const bounds = input.bounds ?? DEFAULT_BOUNDS;
  const root = createRootContainer();
  const cells: MatrixCell[] = [];
  const guards: GuardResult[] = [];
  const costs: CostRow[] = [];
  const costTable = input.costTable ?? DEFAULT_COST_TABLE;
  const total = input.policies.length * input.profiles.length * scenarios.length;
  let done = 0;
  for (const policy of input.policies) {
    for (const profile of input.profiles) {
      for (const scenario of scenarios) {
        const r = runCell(root, policy, profile, scenario, bounds, PROPERTIES, input.strategy);
        cells.push(...r.cells);
        if (r.exploration) {
          try {
            costs.push(measureCost(root, policy, profile, scenario, costTable));
          } catch {
            // The exploration above ran the same code; a policy that throws here already made its cells errors.
          }
        }
        guards.push(...r.guards);
        input.onCell?.(++done, total, r.cells, r.exploration?.states ?? 0);
      }
    }
  }
  return {
    schema: MATRIX_SCHEMA,
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
      ...(s.source ? { source: s.source } : {}),
      guards: s.guards,
    })),
    properties: PROPERTIES.map((p) => ({ id: p.id, title: p.title, symptom: p.symptom })),
    cells,
    guards,
    costs,
    costTable,
    problems: input.problems ?? [],
  };
}
