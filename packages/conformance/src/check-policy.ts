import { basename } from "node:path";
import { builtinProfiles } from "@switchlab/hardware";
import type { Policy, Scenario } from "@switchlab/model";
import { compareExpected, type ExpectedVerdicts, expectedOf } from "./expected.js";
import type { MatrixResult } from "./matrix/contract.js";
import { cellName } from "./matrix/row.js";
import { runMatrix } from "./matrix/run-matrix.js";
import { SCENARIOS } from "./scenarios/index.js";

/**
 * The rows a policy's own test explores in the fast test tier (`pnpm test`): the 2021 report's
 * three scenarios, at their own kernel, on the CPU without PEBS isolation. The whole matrix is
 * compared against every policy's expected.json once per CI run, from the matrix artifact
 * (`pnpm test:matrix`, scripts/test-matrix.mjs), never in the fast tier.
 */
export const SMALL_SLICE = {
  profiles: ["skylake-server-no-isolation"],
  scenarios: ["throttle-window", "handoff-guest-counter", "handoff-host-sampling"],
} as const;

/** The part of an expectation that belongs to the given rows (`profile/scenario` keys, scenario ids). */
export function sliceExpected(
  e: ExpectedVerdicts,
  profiles: readonly string[],
  scenarios: readonly string[],
): ExpectedVerdicts {
  const inRow = (k: string) => {
    const [p, s] = k.split("/");
    return profiles.includes(p as string) && scenarios.includes(s as string);
  };
  const pick = <T>(m: Readonly<Record<string, T>>, keep: (k: string) => boolean) =>
    Object.fromEntries(Object.entries(m).filter(([k]) => keep(k)));
  return {
    ...e,
    assumptions: pick(e.assumptions, (k) => scenarios.includes(k)),
    states: pick(e.states, inRow),
    guards: pick(e.guards, inRow),
    verdicts: pick(e.verdicts, inRow),
  };
}

/**
 * What a policy plugin's test checks: the id matches the plugin's folder, and its cells give the
 * verdicts, guards and state counts recorded in its expected.json, with no `error` cell. With
 * `matrix` (a run that holds the policy's rows, such as the CI's matrix artifact) every recorded
 * row is compared; without it only {@link SMALL_SLICE} is explored and compared. Returns the
 * differences, one line each.
 */
export function checkPolicy(policy: Policy, dir: string, expected: ExpectedVerdicts, matrix?: MatrixResult): string[] {
  const out: string[] = [];
  const folder = basename(dir.replace(/\/+$/, ""));
  if (policy.id !== folder) out.push(`policy id ${policy.id} does not match its folder ${folder}`);
  if (expected.policy !== policy.id) out.push(`expected.json is for ${expected.policy}, not ${policy.id}`);
  let m = matrix;
  let want = expected;
  if (!m) {
    const scenarios: Scenario[] = SMALL_SLICE.scenarios.map((id) => SCENARIOS.find((s) => s.id === id) as Scenario);
    const profiles = builtinProfiles().filter((p) => (SMALL_SLICE.profiles as readonly string[]).includes(p.id));
    m = runMatrix({ policies: [policy], profiles, scenarios });
    want = sliceExpected(expected, SMALL_SLICE.profiles, SMALL_SLICE.scenarios);
  }
  out.push(...compareExpected(expectedOf(m, policy.id), want));
  for (const c of m.cells)
    if (c.policy === policy.id && c.verdict === "error") out.push(`${cellName(c)}: error: ${c.message}`);
  return out;
}
