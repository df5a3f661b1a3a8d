import type { Assumptions } from "@switchlab/model";
import type { MatrixResult } from "./matrix/contract.js";
import { cellName, rowName } from "./matrix/row.js";

/**
 * Expected verdicts, guards, assumptions and state counts of one policy, kept as data beside the
 * policy (`policies/<id>/expected.json`) and compared by its tests: a changed verdict, a guard no
 * longer reached (a pass turned vacuous), a changed assumption or state count is the first sign
 * that a model change altered semantics. The data is recorded from a real run (`pnpm
 * record-expected`), never written by hand.
 */
export interface ExpectedVerdicts {
  readonly schema: "switchlab.expected/2";
  readonly policy: string;
  /** `scenario` -> what its explorations assumed (kernel, PMI latency, budgets). */
  readonly assumptions: Readonly<Record<string, Assumptions>>;
  /** `profile/scenario` -> distinct states of the exploration. */
  readonly states: Readonly<Record<string, number>>;
  /** `profile/scenario/guard` -> reached. */
  readonly guards: Readonly<Record<string, boolean>>;
  /** `profile/scenario/property` -> verdict. */
  readonly verdicts: Readonly<Record<string, string>>;
}

export function expectedOf(m: MatrixResult, policy: string): ExpectedVerdicts {
  const assumptions: Record<string, Assumptions> = {};
  const states: Record<string, number> = {};
  const guards: Record<string, boolean> = {};
  const verdicts: Record<string, string> = {};
  for (const c of m.cells) {
    if (c.policy !== policy) continue;
    assumptions[c.scenario] ??= c.assumptions;
    states[rowName(c)] = c.states;
    verdicts[cellName(c)] = c.verdict;
  }
  for (const g of m.guards) if (g.policy === policy) guards[`${g.profile}/${g.scenario}/${g.guard}`] = g.reached;
  return { schema: "switchlab.expected/2", policy, assumptions, states, guards, verdicts };
}

function compareMaps<T>(
  what: string,
  actual: Readonly<Record<string, T>> | undefined,
  expected: Readonly<Record<string, T>> | undefined,
  show: (v: T) => string,
): string[] {
  const out: string[] = [];
  const a = actual ?? {};
  const e = expected ?? {};
  for (const [k, v] of Object.entries(e)) {
    const x = a[k];
    if (x === undefined) out.push(`${k}: ${what} ${show(v)} expected, missing from the run`);
    else if (show(x) !== show(v)) out.push(`${k}: expected ${what} ${show(v)}, got ${show(x)}`);
  }
  for (const k of Object.keys(a)) if (!(k in e)) out.push(`${k}: ${what} not in the expectation (record it)`);
  return out;
}

/** Differences between a run and the recorded expectation, one line each (empty when they agree). */
export function compareExpected(actual: ExpectedVerdicts, expected: ExpectedVerdicts): string[] {
  if (expected.schema !== "switchlab.expected/2")
    return [`expected.json has schema ${String(expected.schema)}; re-record it with pnpm record-expected`];
  return [
    ...compareMaps("assumptions", actual.assumptions, expected.assumptions, (v) => JSON.stringify(v)),
    ...compareMaps("verdict", actual.verdicts, expected.verdicts, String),
    ...compareMaps("guard reached", actual.guards, expected.guards, String),
    ...compareMaps("states", actual.states, expected.states, String),
  ];
}
