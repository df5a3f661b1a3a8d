import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
import { assumptionLine } from "./assumptions.js";
import { runLine } from "./verdicts.js";

function xml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[^\t\n\r\x20-\x7e]/g, "?");
}

/** One test case: a (policy, scenario, property), its cells over the CPUs of the run. */
function testcase(classname: string, property: string, cells: readonly MatrixCell[]): string[] {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(property)}" time="0"`;
  const on = (...v: string[]) => cells.filter((c) => v.includes(c.verdict));
  const profiles = (cs: readonly MatrixCell[]) => cs.map((c) => c.profile).join(", ");
  if (on("not-applicable").length === cells.length)
    return [`${open}>`, `      <skipped message="${xml(cells[0]?.message ?? "not applicable")}"/>`, "    </testcase>"];
  const errors = on("error");
  if (errors.length)
    return [
      `${open}>`,
      `      <error message="${xml(errors[0]?.message ?? "error")}" type="error">${xml(`error on: ${profiles(errors)}`)}</error>`,
      "    </testcase>",
    ];
  const violated = on("violated");
  if (violated.length) {
    const first = violated.reduce((a, b) =>
      (b.counterexample?.actions.length ?? Infinity) < (a.counterexample?.actions.length ?? Infinity) ? b : a,
    );
    const body = [
      `violated on: ${profiles(violated)}`,
      `shortest counterexample (${first.counterexample?.actions.length ?? 0} choices, ${first.profile}): ${first.counterexample?.reproduce ?? ""}`,
    ];
    return [
      `${open}>`,
      `      <failure message="${xml(first.counterexample?.symptom ?? "violated")}" type="violated">${xml(body.join("\n"))}</failure>`,
      "    </testcase>",
    ];
  }
  const open2 = on("unknown", "vacuous");
  if (open2.length)
    return [
      `${open}>`,
      `      <failure message="${xml(`${open2[0]?.verdict}: ${open2[0]?.message ?? ""}`)}" type="${open2[0]?.verdict}">${xml(`not proven on: ${profiles(open2)}`)}</failure>`,
      "    </testcase>",
    ];
  return [`${open}/>`];
}

/**
 * JUnit XML for CI: a test suite per (policy, scenario), a test case per property, its verdict
 * over every CPU of the run: a failure when it is violated on one (the message is the symptom of
 * the shortest counterexample; the body names the CPUs and the line that reproduces it), an
 * error when the policy failed on one, a failure of type unknown or vacuous when one was not
 * proven, skipped when it applies to none, a pass only when it holds wherever it applies. The
 * suite's properties give the assumptions, the explorer, and per CPU the states and the guards
 * reached. One case per property rather than per cell keeps the default matrix's report small
 * enough for CI dashboards (under 2 MB); --format json has every cell.
 */
export function renderJunit(m: MatrixResult): string {
  const suites = new Map<string, { policy: string; scenario: string; cells: MatrixCell[] }>();
  for (const c of m.cells) {
    const k = `${c.policy}\u0000${c.scenario}`;
    const s = suites.get(k) ?? { policy: c.policy, scenario: c.scenario, cells: [] };
    s.cells.push(c);
    suites.set(k, s);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', ""];
  let tests = 0;
  let failures = 0;
  let errors = m.problems.length;
  let skipped = 0;
  let id = 0;
  const explorer = xml(runLine(m));
  for (const s of suites.values()) {
    const byProperty = new Map<string, MatrixCell[]>();
    for (const c of s.cells) byProperty.set(c.property, [...(byProperty.get(c.property) ?? []), c]);
    const cases = [...byProperty].map(([p, cs]) => testcase(`switchlab.${s.policy}.${s.scenario}`, p, cs));
    const count = (re: RegExp) => cases.filter((c) => re.test(c[1] ?? "")).length;
    const f = count(/<failure /);
    const e = count(/<error /);
    const k = count(/<skipped /);
    tests += cases.length;
    failures += f;
    errors += e;
    skipped += k;
    out.push(
      `  <testsuite name="${xml(`${s.policy}/${s.scenario}`)}" id="${id++}" tests="${cases.length}" failures="${f}" errors="${e}" skipped="${k}" time="0">`,
      "    <properties>",
    );
    const first = s.cells[0];
    if (first) out.push(`      <property name="assumptions" value="${xml(assumptionLine(first.assumptions))}"/>`);
    out.push(`      <property name="explorer" value="${explorer}"/>`);
    for (const p of m.profiles) {
      const c = s.cells.find((x) => x.profile === p.id);
      if (!c) continue;
      const g = m.guards.filter((x) => x.policy === s.policy && x.profile === p.id && x.scenario === s.scenario);
      const reached = g.filter((x) => x.reached).length;
      out.push(
        `      <property name="${xml(p.id)}" value="${c.states} states, ${c.complete ? "complete" : "not complete"}${g.length ? `, guards ${reached}/${g.length} reached` : ""}"/>`,
      );
    }
    out.push("    </properties>");
    for (const c of cases) out.push(...c);
    out.push("  </testsuite>");
  }
  if (m.problems.length) {
    out.push(
      `  <testsuite name="switchlab/plugins" id="${id}" tests="${m.problems.length}" failures="0" errors="${m.problems.length}" skipped="0" time="0">`,
    );
    for (const p of m.problems)
      out.push(
        `    <testcase classname="switchlab.plugins" name="${xml(p.path)}" time="0">`,
        `      <error message="${xml(p.message)}" type="plugin-skipped"/>`,
        "    </testcase>",
      );
    out.push("  </testsuite>");
  }
  out[1] = `<testsuites name="switchlab" tests="${tests + m.problems.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">`;
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}
