import type { MatrixResult } from "@switchlab/conformance";
import { assumptionLine } from "./assumptions.js";

/**
 * One row of the matrix (`switchlab check`) as text: how far the exploration went, each
 * property's verdict (with why it is unknown or vacuous), the guards, then the trace of every
 * counterexample (or of the properties asked for).
 */
export function renderCheckText(m: MatrixResult, only?: readonly string[]): string {
  const out: string[] = [];
  const first = m.cells[0];
  if (!first) return "no cells\n";
  const s = first.storage;
  out.push(
    `check ${first.policy} / ${first.profile} / ${first.scenario}: ${first.states} states, ${first.transitions} transitions, ${first.complete ? "complete" : "NOT complete"}${s ? `; ${s.mode === "fingerprint" ? `64-bit fingerprints, collision probability ${s.collisionProbability.toExponential(1)}` : s.mode === "exact" ? "exact (every state kept)" : "exact keys"}` : ""}`,
  );
  out.push(`  assumptions: ${assumptionLine(first.assumptions)}`);
  for (const c of m.cells) {
    if (only && !only.includes(c.property)) continue;
    const longest = c.longest !== undefined ? ` (longest stale run: ${c.longest} round trips)` : "";
    out.push(`  ${c.property.padEnd(32)} ${c.verdict}${longest}${c.message ? ` (${c.message})` : ""}`);
  }
  for (const g of m.guards)
    out.push(`  guard ${g.guard}: ${g.reached ? "reached" : "NOT reached (what holds on this row is vacuous)"}`);
  for (const c of m.cells) {
    if (!c.counterexample || (only && !only.includes(c.property))) continue;
    out.push("", `${c.property} violated: ${c.counterexample.symptom}`, `reproduce: ${c.counterexample.reproduce}`);
    out.push(...c.counterexample.trace);
  }
  return `${out.join("\n")}\n`;
}
