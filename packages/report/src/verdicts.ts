import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
import { assumptionLine } from "./assumptions.js";

/** Verdicts that fail a build by default (`--fail-on` adds unknown and vacuous). */
export function isFailure(c: MatrixCell): boolean {
  return c.verdict === "violated" || c.verdict === "error";
}

/** Verdicts that are not a failure and not a pass either: the cell was not proven. */
export function isNotProven(c: MatrixCell): boolean {
  return c.verdict === "unknown" || c.verdict === "vacuous";
}

/** The explorer's bounds, strategy and storage, in one line. */
export function runLine(m: Pick<MatrixResult, "run">): string {
  const b = m.run.bounds;
  const st = m.run.strategy;
  const strategy =
    st.kind === "random"
      ? `random walks (${st.walks}, seed ${st.seed})`
      : st.kind === "dfs"
        ? "depth-first"
        : st.chains === true
          ? "breadth-first (chains compressed)"
          : "breadth-first";
  // The dead-value reduction is the default and changes no answer; only its absence is named.
  const kept = st.keepDeadValues === true ? " (last_nmi_rip and the exit reason kept where dead)" : "";
  return `explorer: ${strategy}${kept}, depth <= ${b.maxDepth}, states <= ${b.maxStates}, ${b.timeLimitMs > 0 ? `time <= ${b.timeLimitMs} ms` : "no time limit"}, ${m.run.exact ? "every state kept exactly" : "states told apart by exact keys or 64-bit fingerprints"}`;
}

/**
 * How states were told apart, over every exploration of the matrix: how many used 64-bit
 * fingerprints, and the largest estimated probability that two distinct states shared one (as
 * TLC prints), with the row it belongs to; --exact keeps every state and makes it zero.
 */
export function storageLine(m: Pick<MatrixResult, "cells" | "run">): string {
  const rows = new Map<string, { p: number; mode: string }>();
  for (const c of m.cells)
    if (c.storage)
      rows.set(`${c.policy}/${c.profile}/${c.scenario}`, { p: c.storage.collisionProbability, mode: c.storage.mode });
  if (rows.size === 0) return "fingerprints: none (no exploration stored states)";
  const fp = [...rows].filter(([, r]) => r.mode === "fingerprint");
  if (m.run.exact || fp.length === 0)
    return `fingerprints: none (${rows.size} explorations, every state kept by ${m.run.exact ? "its full words (--exact)" : "an exact key"}); no two states can be merged`;
  const [where, worst] = fp.reduce((a, b) => (b[1].p > a[1].p ? b : a));
  return `fingerprints: ${fp.length} of ${rows.size} explorations told states apart by 64-bit fingerprints; the largest estimated collision probability is ${worst.p.toExponential(1)} (${where}); --exact keeps every state`;
}

/** The assumption lines of a scenario's cells (one unless cells of a scenario differ). */
export function scenarioAssumptions(m: MatrixResult, scenario: string): string[] {
  const seen = new Set<string>();
  for (const c of m.cells) if (c.scenario === scenario) seen.add(assumptionLine(c.assumptions));
  return [...seen];
}

/** One entry per (policy, profile, scenario, verdict, message) of the cells not proven. */
export function notProvenRows(
  m: MatrixResult,
): { policy: string; profile: string; scenario: string; verdict: string; message: string; properties: string[] }[] {
  const out = new Map<
    string,
    { policy: string; profile: string; scenario: string; verdict: string; message: string; properties: string[] }
  >();
  for (const c of m.cells) {
    if (!isNotProven(c)) continue;
    const key = [c.policy, c.profile, c.scenario, c.verdict, c.message ?? ""].join("\u0000");
    let r = out.get(key);
    if (!r)
      out.set(
        key,
        (r = {
          policy: c.policy,
          profile: c.profile,
          scenario: c.scenario,
          verdict: c.verdict,
          message: c.message ?? "",
          properties: [],
        }),
      );
    r.properties.push(c.property);
  }
  return [...out.values()];
}
