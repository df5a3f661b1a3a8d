import { type MatrixCell, type MatrixResult, placeKey, sharedFailures } from "@switchlab/conformance";
import { runLine } from "./verdicts.js";
import { ascii } from "./wrap.js";

/** A test point's description: KTAP forbids '#' there, and one line of printable ASCII. */
const desc = (s: string) => ascii(s).replace(/#/g, "%").replace(/\s+/g, " ");
/** A directive's or a diagnostic's text, on one line. */
const text = (s: string | undefined) => ascii(s ?? "").replace(/\s+/g, " ");

/** One cell as a subtest's result line, with the diagnostic that says why. */
function cellLine(n: number, c: MatrixCell, shared: boolean): string {
  const name = desc(`${c.profile}/${c.scenario}`);
  switch (c.verdict) {
    case "holds":
      return `ok ${n} ${name}`;
    case "not-applicable":
      return `ok ${n} ${name} # SKIP ${text(c.message ?? "not applicable")}`;
    case "violated":
      return `not ok ${n} ${name} # ${shared ? "shared by every policy: " : ""}${text(c.counterexample?.symptom)}`;
    default:
      return `not ok ${n} ${name} # ${c.verdict}: ${text(c.message)}`;
  }
}

/**
 * KTAP (Documentation/dev-tools/ktap.rst), as kselftest and KUnit print it: one test point per
 * (policy, property), its rows (profile/scenario) as subtests. `holds` is ok; `not-applicable` is
 * ok with a SKIP directive and the reason; a violation is not ok with its symptom; `unknown`,
 * `vacuous` and `error` are not ok with the verdict and the reason (only `holds` passes). A row
 * every policy of the run fails says so (a finding independent of the patch). Each violated
 * subtest is followed by its reproduce line as a diagnostic.
 */
export function renderTap(m: MatrixResult): string {
  const shared = sharedFailures(m);
  const groups = new Map<string, MatrixCell[]>();
  for (const c of m.cells) {
    const k = `${c.policy}:${c.property}`;
    const g = groups.get(k) ?? [];
    g.push(c);
    groups.set(k, g);
  }
  const out = ["KTAP version 1", `# switchlab matrix: ${text(runLine(m))}`, `1..${groups.size + m.problems.length}`];
  let n = 0;
  for (const [name, cells] of groups) {
    n++;
    out.push("    KTAP version 1", `    # Subtest: ${desc(name)}`, `    1..${cells.length}`);
    let failed = false;
    let all = true;
    cells.forEach((c, i) => {
      const isShared = shared.has(placeKey(c));
      out.push(`    ${cellLine(i + 1, c, isShared)}`);
      if (c.counterexample) out.push(`    # reproduce: ${text(c.counterexample.reproduce)}`);
      if (c.verdict !== "holds" && c.verdict !== "not-applicable") failed = true;
      if (c.verdict !== "not-applicable") all = false;
    });
    out.push(
      `${failed ? "not ok" : "ok"} ${n} ${desc(name)}${!failed && all ? " # SKIP not applicable to any row" : ""}`,
    );
  }
  for (const p of m.problems) {
    n++;
    out.push(`not ok ${n} ${desc(`plugin ${p.path}`)} # skipped plugin: ${text(p.message)}`);
  }
  return `${out.join("\n")}\n`;
}
