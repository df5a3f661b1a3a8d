import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
import { assumptionLine } from "./assumptions.js";
import { rowsOf } from "./text.js";
import { runLine } from "./verdicts.js";

function xml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[^\t\n\r\x20-\x7e]/g, "?");
}

/**
 * JUnit XML for CI: a test suite per (policy, profile, scenario), a test case per property. A
 * violation is a failure whose message is the symptom and whose body is the trace; an error
 * cell is an error; a property that does not apply is skipped.
 */
export function renderJunit(m: MatrixResult): string {
  const rows = rowsOf(m);
  const count = (cells: readonly MatrixCell[], ...v: string[]) => cells.filter((c) => v.includes(c.verdict)).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="switchlab" tests="${m.cells.length + m.problems.length}" failures="${count(m.cells, "violated", "unknown", "vacuous")}" errors="${count(m.cells, "error") + m.problems.length}" skipped="${count(m.cells, "not-applicable")}" time="0">`,
  );
  rows.forEach((r, i) => {
    const name = `${r.policy}/${r.profile}/${r.scenario}`;
    out.push(
      `  <testsuite name="${xml(name)}" id="${i}" tests="${r.cells.length}" failures="${count(r.cells, "violated", "unknown", "vacuous")}" errors="${count(r.cells, "error")}" skipped="${count(r.cells, "not-applicable")}" time="0">`,
    );
    const first = r.cells[0];
    out.push("    <properties>");
    out.push(`      <property name="states" value="${first?.states ?? 0}"/>`);
    out.push(`      <property name="complete" value="${first?.complete ?? false}"/>`);
    if (first) out.push(`      <property name="assumptions" value="${xml(assumptionLine(first.assumptions))}"/>`);
    out.push(`      <property name="explorer" value="${xml(runLine(m))}"/>`);
    for (const g of m.guards)
      if (g.policy === r.policy && g.profile === r.profile && g.scenario === r.scenario)
        out.push(`      <property name="guard:${xml(g.guard)}" value="${g.reached ? "reached" : "not reached"}"/>`);
    out.push("    </properties>");
    for (const c of r.cells) {
      const open = `    <testcase classname="switchlab.${xml(r.policy)}.${xml(r.profile)}.${xml(r.scenario)}" name="${xml(c.property)}" time="0"`;
      if (c.verdict === "holds") out.push(`${open}/>`);
      else if (c.verdict === "not-applicable")
        out.push(`${open}>`, `      <skipped message="${xml(c.message ?? "not applicable")}"/>`, "    </testcase>");
      else if (c.verdict === "unknown" || c.verdict === "vacuous")
        out.push(
          `${open}>`,
          `      <failure message="${xml(`${c.verdict}: ${c.message ?? ""}`)}" type="${c.verdict}">${xml(`not proven: ${c.message ?? ""}`)}</failure>`,
          "    </testcase>",
        );
      else if (c.verdict === "error")
        out.push(`${open}>`, `      <error message="${xml(c.message ?? "error")}" type="error"/>`, "    </testcase>");
      else {
        const cx = c.counterexample;
        out.push(`${open}>`);
        out.push(
          `      <failure message="${xml(cx?.symptom ?? "violated")}" type="violated">${xml([`reproduce: ${cx?.reproduce ?? ""}`, ...(cx?.trace ?? [])].join("\n"))}</failure>`,
        );
        out.push("    </testcase>");
      }
    }
    out.push("  </testsuite>");
  });
  if (m.problems.length) {
    out.push(
      `  <testsuite name="switchlab/plugins" id="${rows.length}" tests="${m.problems.length}" failures="0" errors="${m.problems.length}" skipped="0" time="0">`,
    );
    for (const p of m.problems)
      out.push(
        `    <testcase classname="switchlab.plugins" name="${xml(p.path)}" time="0">`,
        `      <error message="${xml(p.message)}" type="plugin-skipped"/>`,
        "    </testcase>",
      );
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}
