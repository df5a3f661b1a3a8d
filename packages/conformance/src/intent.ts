import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import {
  type AssumptionOverrides,
  buildCell,
  createRootContainer,
  type Policy,
  replay,
  withAssumptions,
} from "@switchlab/model";
import type { MatrixCell, Verdict } from "./matrix/contract.js";
import { runCell } from "./matrix/run-cell.js";
import { PROPERTIES } from "./properties/index.js";
import { findScenarioRow } from "./scenarios/index.js";

/**
 * What a policy is meant to guarantee, or the failure its README documents, as checkable claims:
 * each a verdict the matrix must give on one cell (under stated assumptions), optionally with the
 * mechanism its counterexample must show, or a named interleaving replayed with the symptoms it
 * must (or must not) end in. A policy's intent test checks its README's claims; the recorded
 * expected.json only says the numbers did not move.
 */
export type Claim =
  | {
      readonly what: string;
      readonly profile: string;
      readonly scenario: string;
      readonly property: string;
      readonly verdict: Verdict;
      readonly assumptions?: AssumptionOverrides;
      /** For a violation: the counterexample's choices show the documented mechanism. */
      readonly shows?: (choices: readonly string[]) => boolean;
    }
  | {
      readonly what: string;
      readonly profile: string;
      readonly scenario: string;
      readonly replay: readonly string[];
      readonly symptoms: readonly string[];
    };

/** Choices matching the patterns in this order (others may come between). */
export function inOrder(...patterns: readonly RegExp[]): (choices: readonly string[]) => boolean {
  return (choices) => {
    let i = 0;
    for (const c of choices) if (i < patterns.length && (patterns[i] as RegExp).test(c)) i++;
    return i === patterns.length;
  };
}

/** Check every claim; returns one line per claim that does not hold (empty: all hold). */
export function checkClaims(policy: Policy, claims: readonly Claim[]): string[] {
  const root = createRootContainer();
  const rows = new Map<string, readonly MatrixCell[]>();
  const out: string[] = [];
  for (const c of claims) {
    const profile = builtinProfiles().find((p) => p.id === c.profile);
    const base = findScenarioRow(c.scenario);
    if (!profile || !base) {
      out.push(`${c.what}: no profile ${c.profile} or scenario ${c.scenario}`);
      continue;
    }
    if ("replay" in c) {
      const t = replay(buildCell(root, policy, profile, base), c.replay);
      const got = t.symptoms.map((s) => s.id).sort();
      if (JSON.stringify(got) !== JSON.stringify([...c.symptoms].sort()))
        out.push(`${c.what}: the replay ends in [${got.join(", ")}], not [${[...c.symptoms].sort().join(", ")}]`);
      continue;
    }
    const scenario = c.assumptions ? withAssumptions(base, c.assumptions) : base;
    const key = `${c.profile}/${c.scenario}/${JSON.stringify(c.assumptions ?? {})}`;
    let cells = rows.get(key);
    if (!cells) {
      cells = runCell(root, policy, profile, scenario, DEFAULT_BOUNDS, PROPERTIES).cells;
      rows.set(key, cells);
    }
    const cell = cells.find((x) => x.property === c.property);
    if (!cell) {
      out.push(`${c.what}: no property ${c.property}`);
      continue;
    }
    if (cell.verdict !== c.verdict) {
      out.push(
        `${c.what}: ${c.profile}/${c.scenario}/${c.property} is ${cell.verdict}, not ${c.verdict}${cell.message ? ` (${cell.message})` : ""}`,
      );
      continue;
    }
    if (c.shows && !c.shows(cell.counterexample?.actions ?? []))
      out.push(
        `${c.what}: the counterexample does not show the documented mechanism: ${(cell.counterexample?.actions ?? []).join(" ")}`,
      );
  }
  return out;
}
