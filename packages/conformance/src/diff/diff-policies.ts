import type { Bounds } from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import {
  buildCell,
  createRootContainer,
  type Policy,
  projectChoices,
  renderTrace,
  replay,
  type Scenario,
  type TraceStep,
} from "@switchlab/model";
import { reproduceLine } from "../matrix/row.js";
import { runCell } from "../matrix/run-cell.js";
import { PROPERTIES } from "../properties/index.js";

/** One policy's run of an interleaving on which two policies disagree. */
export interface DiffRun {
  readonly policy: string;
  readonly verdict: "holds" | "violated";
  readonly run: {
    readonly actions: readonly string[];
    readonly trace: readonly string[];
    readonly timeline: readonly TraceStep[];
    readonly symptom: string;
    readonly reproduce: string;
    /** Events of the interleaving that never became possible under this policy. */
    readonly skipped: readonly string[];
  };
}

export interface DiffItem {
  readonly profile: string;
  readonly scenario: string;
  readonly property: string;
  /** The policy that violates the property. */
  readonly violatedBy: string;
  readonly summary: string;
  /** The violating policy's run first, then the other's run of the same events. */
  readonly runs: readonly [DiffRun, DiffRun];
}

export interface DiffResult {
  readonly schema: "switchlab.diff/1";
  readonly a: string;
  readonly b: string;
  /** Rows compared, and those where every property agreed. */
  readonly compared: number;
  readonly items: readonly DiffItem[];
}

/**
 * Where two policies disagree: for each (profile, scenario, property) on which one holds and the
 * other is violated, the violating policy's shortest counterexample, and the other policy's run
 * of the same asynchronous events (overflows, PMIs, ticks, scheduling, VM-exits) at the same
 * program points (projectChoices), side by side. Both runs are replays, so each shows what its
 * policy does on that interleaving.
 */
export function diffPolicies(
  a: Policy,
  b: Policy,
  profiles: readonly HardwareProfile[],
  scenarios: readonly Scenario[],
  bounds: Bounds,
): DiffResult {
  const items: DiffItem[] = [];
  let compared = 0;
  for (const profile of profiles) {
    for (const scenario of scenarios) {
      compared++;
      const root = createRootContainer();
      const ra = runCell(root, a, profile, scenario, bounds);
      const rb = runCell(root, b, profile, scenario, bounds);
      for (const p of PROPERTIES) {
        const ca = ra.cells.find((c) => c.property === p.id);
        const cb = rb.cells.find((c) => c.property === p.id);
        if (!ca || !cb) continue;
        const pair =
          ca.verdict === "violated" && cb.verdict === "holds"
            ? ([a, ca, b] as const)
            : cb.verdict === "violated" && ca.verdict === "holds"
              ? ([b, cb, a] as const)
              : undefined;
        if (!pair) continue;
        const [bad, badCell, good] = pair;
        const cx = badCell.counterexample;
        if (!cx) continue;
        const goodCell = buildCell(root, good, profile, scenario);
        const proj = projectChoices(goodCell, cx.actions);
        const t = replay(goodCell, proj.choices);
        items.push({
          profile: profile.id,
          scenario: scenario.id,
          property: p.id,
          violatedBy: bad.id,
          summary: `${bad.id} violates ${p.id} (${cx.symptom}); ${good.id} holds on the same events${proj.skipped.length ? ` (never possible under ${good.id}: ${proj.skipped.join(", ")})` : ""}`,
          runs: [
            {
              policy: bad.id,
              verdict: "violated",
              run: {
                actions: cx.actions,
                trace: cx.trace,
                timeline: cx.timeline,
                symptom: cx.symptom,
                reproduce: cx.reproduce,
                skipped: [],
              },
            },
            {
              policy: good.id,
              verdict: "holds",
              run: {
                actions: proj.choices,
                trace: renderTrace(t),
                timeline: t.steps,
                symptom: t.symptoms.map((s) => s.text).join("; ") || "none",
                reproduce: reproduceLine({ policy: good.id, profile: profile.id, scenario: scenario.id }, p.id),
                skipped: proj.skipped,
              },
            },
          ],
        });
      }
    }
  }
  return { schema: "switchlab.diff/1", a: a.id, b: b.id, compared, items };
}
