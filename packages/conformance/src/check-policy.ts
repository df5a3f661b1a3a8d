import { basename } from "node:path";
import { builtinProfiles } from "@switchlab/hardware";
import type { Policy } from "@switchlab/model";
import { compareExpected, type ExpectedVerdicts, expectedOf } from "./expected.js";
import { runMatrix } from "./matrix/run-matrix.js";

/**
 * What every policy plugin's own test checks: the id matches the plugin's folder, and a full run
 * over every built-in profile and scenario gives the verdicts and state counts recorded in its
 * expected.json. Returns the differences, one line each.
 */
export function checkPolicy(policy: Policy, dir: string, expected: ExpectedVerdicts): string[] {
  const out: string[] = [];
  const folder = basename(dir.replace(/\/+$/, ""));
  if (policy.id !== folder) out.push(`policy id ${policy.id} does not match its folder ${folder}`);
  if (expected.policy !== policy.id) out.push(`expected.json is for ${expected.policy}, not ${policy.id}`);
  const m = runMatrix({ policies: [policy], profiles: builtinProfiles() });
  out.push(...compareExpected(expectedOf(m, policy.id), expected));
  for (const c of m.cells)
    if (c.verdict === "error") out.push(`${c.profile}/${c.scenario}/${c.property}: error: ${c.message}`);
  return out;
}
