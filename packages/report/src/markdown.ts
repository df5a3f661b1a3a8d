import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
import { shortName } from "./short-names.js";
import { rowsOf } from "./text.js";

const MD_MARK: Readonly<Record<string, string>> = {
  holds: "ok",
  violated: "**FAIL**",
  "not-applicable": "n/a",
  error: "**ERROR**",
};

function html(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function esc(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/** The matrix as Markdown for a pull request or an issue: a table per scenario, collapsible traces. */
export function renderMarkdown(m: MatrixResult): string {
  const out: string[] = [];
  const props = m.properties.map((p) => p.id);
  out.push("# switchlab matrix");
  out.push("");
  out.push(
    `${m.policies.length} policies x ${m.profiles.length} profiles x ${m.scenarios.length} scenarios x ${props.length} properties. Cycles per VM round trip are estimates (${m.costTable.sources.length} sources in the cost table).`,
  );
  const rows = rowsOf(m);
  for (const s of m.scenarios) {
    out.push("");
    out.push(`## ${s.id} (${s.kernel})`);
    out.push("");
    out.push(esc(s.title));
    out.push("");
    out.push(`| policy | profile | ${props.map(shortName).join(" | ")} | cycles/rt | MSR writes | states | complete |`);
    out.push(`|---|---|${props.map(() => "---").join("|")}|---:|---:|---:|---|`);
    for (const r of rows.filter((x) => x.scenario === s.id)) {
      const by = new Map(r.cells.map((c) => [c.property, c]));
      const cost = m.costs.find((c) => c.policy === r.policy && c.profile === r.profile && c.scenario === r.scenario);
      const first = r.cells[0] as MatrixCell;
      out.push(
        `| ${r.policy} | ${r.profile} | ${props.map((p) => MD_MARK[by.get(p)?.verdict ?? ""] ?? "?").join(" | ")} | ${cost?.cyclesPerRoundtrip ?? "-"} | ${cost?.msrWritesPerRoundtrip ?? "-"} | ${first.states} | ${first.complete ? "yes" : "no"} |`,
      );
    }
  }
  const fails = m.cells.filter((c) => c.verdict === "violated" || c.verdict === "error");
  if (fails.length) {
    out.push("", "## Counterexamples", "");
    for (const c of fails) {
      const what = c.verdict === "error" ? `error: ${c.message}` : (c.counterexample?.symptom ?? "");
      out.push(
        `<details><summary>${c.policy} / ${c.profile} / ${c.scenario} / <code>${c.property}</code>: ${html(what)}</summary>`,
      );
      out.push("");
      if (c.counterexample) {
        out.push(`Reproduce: \`${c.counterexample.reproduce}\``);
        out.push("");
        out.push("```text");
        out.push(...c.counterexample.trace);
        out.push("```");
      }
      out.push("", "</details>", "");
    }
  }
  out.push("", "| column | property | symptom |", "|---|---|---|");
  for (const p of m.properties) out.push(`| ${shortName(p.id)} | ${p.id} | ${esc(p.symptom)} |`);
  return `${out.join("\n")}\n`;
}
