import type { MatrixResult } from "./matrix/contract.js";

/**
 * Expected verdicts and state counts of one policy, kept as data beside the policy
 * (`policies/<id>/expected.json`) and compared by its tests: a changed verdict or state count
 * is the first sign that a model change altered semantics. The data is recorded from a real
 * run (`pnpm record-expected`), never written by hand.
 */
export interface ExpectedVerdicts {
  readonly schema: "switchlab.expected/1";
  readonly policy: string;
  /** `profile/scenario` -> distinct states of the exploration. */
  readonly states: Readonly<Record<string, number>>;
  /** `profile/scenario/property` -> verdict. */
  readonly verdicts: Readonly<Record<string, string>>;
}

export function expectedOf(m: MatrixResult, policy: string): ExpectedVerdicts {
  const states: Record<string, number> = {};
  const verdicts: Record<string, string> = {};
  for (const c of m.cells) {
    if (c.policy !== policy) continue;
    states[`${c.profile}/${c.scenario}`] = c.states;
    verdicts[`${c.profile}/${c.scenario}/${c.property}`] = c.verdict;
  }
  return { schema: "switchlab.expected/1", policy, states, verdicts };
}

/** Differences between a run and the recorded expectation, one line each (empty when they agree). */
export function compareExpected(actual: ExpectedVerdicts, expected: ExpectedVerdicts): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected.verdicts)) {
    const a = actual.verdicts[k];
    if (a !== v) out.push(`${k}: expected ${v}, got ${a ?? "(missing)"}`);
  }
  for (const k of Object.keys(actual.verdicts))
    if (!(k in expected.verdicts)) out.push(`${k}: not in the expectation (record it)`);
  for (const [k, v] of Object.entries(expected.states)) {
    const a = actual.states[k];
    if (a !== v) out.push(`${k}: expected ${v} states, got ${a ?? "(missing)"}`);
  }
  return out;
}
