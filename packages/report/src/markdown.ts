import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
import { renderAnswer } from "./answer.js";
import {
  count,
  errorGroups,
  interleaving,
  otherCells,
  referencePolicy,
  scenarioProperties,
  sharedViolationGroups,
  violationGroups,
  withRow,
} from "./digest.js";
import { holdsUpToText } from "./frontier.js";
import { MARK_CHAR, shortName } from "./short-names.js";
import { rowsOf } from "./text.js";
import { isFailure, notProvenRows, runLine, scenarioAssumptions, storageLine } from "./verdicts.js";

const MD_MARK: Readonly<Record<string, string>> = {
  holds: "ok",
  violated: "**FAIL**",
  unknown: "_UNKNOWN_",
  vacuous: "_VACUOUS_",
  "not-applicable": "n/a",
  error: "**ERROR**",
};

function html(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function esc(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/**
 * The matrix as Markdown for a pull request or an issue. By default it fits an issue (GitHub
 * takes 65,536 characters): a table per scenario with a row per policy and a column per profile,
 * then one shortest counterexample per (policy, property) with the cells it stands for. With
 * `full`: a row per policy and profile with cycles and states, and every failing cell's trace.
 */
export function renderMarkdown(m: MatrixResult, opts: { full?: boolean; details?: boolean } = {}): string {
  const out: string[] = [];
  const props = m.properties.map((p) => p.id);
  out.push("# switchlab matrix");
  out.push("");
  // The answer first, as the terminal gives it; the per-scenario tables with --details or --full.
  out.push("```text", renderAnswer(m).trimEnd(), "```", "");
  out.push(
    `${m.policies.length} policies x ${m.profiles.length} profiles x ${m.scenarios.length} scenarios x ${props.length} properties. Cycles per VM round trip are estimates (${m.costTable.sources.length} sources in the cost table).`,
    "",
    `${runLine(m)}. ${storageLine(m)}. **ok** means complete within these bounds and the assumptions below, with every guard of the scenario reached; _UNKNOWN_ (a bound stopped the exploration) and _VACUOUS_ (a guard was never reached) are not passes.`,
  );
  const rows = rowsOf(m);
  const letters = m.profiles.map((_, i) => String.fromCharCode(65 + i));
  const letterOf = (id: string) => letters[m.profiles.findIndex((p) => p.id === id)] ?? id;
  if (!opts.full && !opts.details) {
    out.push(
      "",
      "The per-scenario tables: `--details` (compact) or `--full` (a row per policy and profile, with every trace).",
    );
  } else if (!opts.full) {
    out.push(
      "",
      `Each cell holds one mark per property the scenario's \`marks\` line names, in that order (\`.\` holds, \`X\` violated, \`?\` unknown, \`v\` vacuous, \`-\` not applicable, \`E\` error, \`*\` not complete); a policy with the same marks as ${referencePolicy(m)} everywhere in a scenario is named under its table. \`--full\` gives a row per policy and profile, with cycles and states.`,
      "",
      `Profiles: ${m.profiles.map((p, i) => `**${letters[i]}** ${p.id}`).join(", ")}.`,
    );
    for (const s of m.scenarios) {
      out.push("", `## ${s.id} (${s.kernel})`, "", esc(s.title), "");
      for (const a of scenarioAssumptions(m, s.id)) out.push(`Assumptions: ${esc(a)}.`, "");
      const shown = scenarioProperties(m, s.id);
      out.push(`Marks: ${shown.map((p) => `\`${shortName(p)}\``).join(", ")}.`, "");
      const colsOf = (pol: string) =>
        m.profiles.map((prof) => {
          const r = rows.find((x) => x.scenario === s.id && x.profile === prof.id && x.policy === pol);
          if (!r) return "";
          const by = new Map(r.cells.map((c) => [c.property, c]));
          return `\`${shown.map((p) => MARK_CHAR[by.get(p)?.verdict ?? ""] ?? "?").join("")}${(r.cells[0] as MatrixCell).complete ? "" : "*"}\``;
        });
      const ref = referencePolicy(m);
      const same = m.policies.filter((p) => p.id !== ref && colsOf(p.id).join() === colsOf(ref).join());
      out.push(`| policy | ${letters.join(" | ")} |`, `|---|${m.profiles.map(() => "---").join("|")}|`);
      for (const pol of m.policies.filter((p) => !same.includes(p)))
        out.push(`| ${pol.id} | ${colsOf(pol.id).join(" | ")} |`);
      if (same.length) out.push("", `As ${ref}: ${same.map((p) => p.id).join(", ")}.`);
    }
  } else
    for (const s of m.scenarios) {
      out.push("");
      out.push(`## ${s.id} (${s.kernel})`);
      out.push("");
      out.push(esc(s.title));
      out.push("");
      for (const a of scenarioAssumptions(m, s.id)) out.push(`Assumptions: ${esc(a)}.`, "");
      out.push(
        `| policy | profile | ${props.map(shortName).join(" | ")} | cycles/rt | MSR writes | states | complete |`,
      );
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
  out.push("", "## Frontier", "");
  if (m.frontier) {
    const dims = m.frontier.dimensions;
    out.push(
      `Each pass holds up to (each assumption widened alone; "(ceiling)": nothing broke; ${m.frontier.source === "cache" ? "from switchlab frontier's cache for these inputs and build" : "computed"}):`,
      "",
      `| policy | ${dims.map((d) => `\`${d.option}\``).join(" | ")} |`,
      `|---|${dims.map(() => "---:").join("|")}|`,
    );
    for (const p of m.policies)
      out.push(
        `| ${p.id} | ${dims.map((d) => holdsUpToText(m.frontier?.summary.find((s) => s.policy === p.id && s.dimension === d.id))).join(" | ")} |`,
      );
  } else out.push("Not computed for these inputs: `pnpm switchlab matrix --frontier` computes it.");
  const open = notProvenRows(m);
  if (open.length) {
    out.push("", "## Not proven", "");
    for (const r of open)
      out.push(
        `- ${r.policy} / ${r.profile} / ${r.scenario}: ${r.verdict} (${r.properties.length} properties): ${esc(r.message)}`,
      );
  }
  const unreached = m.guards.filter((g) => !g.reached);
  if (unreached.length) {
    out.push("", "## Guards not reached", "");
    for (const g of unreached) out.push(`- ${g.policy} / ${g.profile} / ${g.scenario}: \`${g.guard}\``);
  }
  if (m.problems.length) {
    out.push("", "## Plugins skipped", "");
    for (const p of m.problems) out.push(`- \`${p.path}\`: ${esc(p.message)}`);
  }
  if (opts.full) {
    const fails = m.cells.filter(isFailure);
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
  } else {
    const groups = violationGroups(m);
    if (groups.length)
      out.push(
        "",
        "## Counterexamples",
        "",
        "The shortest per policy and property, with the events of its path (overflows, NMIs, exits, perf scheduling) numbered by their place in it; `switchlab check` replays the whole path. `--full` prints every failing cell with its trace.",
      );
    for (const { group: g, alsoPolicies } of sharedViolationGroups(groups)) {
      const c = g.shown;
      const cx = c.counterexample!;
      out.push(
        "",
        `<details><summary>${g.policy}${alsoPolicies.length ? ` (and ${alsoPolicies.join(", ")}: the same cells)` : ""} / <code>${g.property}</code>: violated in ${count(g.others.length + 1, "cell")}; ${html(cx.symptom)}</summary>`,
        "",
        `Shown: ${c.profile} / ${c.scenario} (${cx.actions.length} choices). Reproduce: \`${cx.reproduce}\``,
        "",
        interleaving(cx.actions)
          .map((l) => html(l))
          .join("; "),
      );
      const same = g.others.filter((o) => withRow(cx.reproduce, o) === o.counterexample?.reproduce);
      if (same.length)
        out.push(
          "",
          `Also violated (the same command with their \`--profile\` and \`--scenario\`): ${otherCells(same, letterOf).join("; ")}.`,
        );
      for (const o of g.others.filter((x) => !same.includes(x)))
        out.push("", `Also: \`${o.counterexample?.reproduce ?? ""}\``);
      out.push("", "</details>");
    }
    for (const e of errorGroups(m))
      out.push(
        "",
        `**${e.policy}**: error in ${count(e.rows.length, "row")} (${e.rows.join(", ")}): ${esc(e.message)}`,
      );
  }
  out.push("", "| column | property | symptom |", "|---|---|---|");
  for (const p of m.properties) out.push(`| ${shortName(p.id)} | ${p.id} | ${esc(p.symptom)} |`);
  return `${out.join("\n")}\n`;
}
