import { cellName, type FrontierResult, type FrontierSummary, type MatrixResult } from "@switchlab/conformance";
import { type AnyAssumption, ASSUMPTIONS } from "@switchlab/model";
import { assumptionShort } from "./assumptions.js";
import { esc, page } from "./html/page.js";
import { runLine } from "./verdicts.js";

type Dim = FrontierResult["dimensions"][number];

const unit = (d: Dim) => (d.unit ? ` ${d.unit}` : "");

/** A summary's "holds up to" value as a table cell: the value, "ceiling" when nothing broke below it. */
export function holdsUpToText(s: FrontierSummary | undefined): string {
  if (!s) return "-";
  if (s.cells === 0) return "n/a";
  return s.breaksAt === undefined ? `${s.holdsUpTo} (ceiling)` : String(s.holdsUpTo);
}

/**
 * Per row (policy, profile, scenario) violated at the defaults: for each dimension the least
 * value at which one of its violated properties is still violated (the row is broken from there
 * up), with the property and the command that shows it.
 */
export function violatedRows(f: FrontierResult): {
  row: string;
  policy: string;
  properties: string[];
  least: Map<string, { value: number; property: string; reproduce?: string }>;
}[] {
  const out = new Map<
    string,
    {
      row: string;
      policy: string;
      properties: string[];
      least: Map<string, { value: number; property: string; reproduce?: string }>;
    }
  >();
  for (const c of f.cells) {
    if (c.verdict !== "violated") continue;
    const row = `${c.policy}/${c.profile}/${c.scenario}`;
    let r = out.get(row);
    if (!r) out.set(row, (r = { row, policy: c.policy, properties: [], least: new Map() }));
    r.properties.push(c.property);
    for (const e of c.edges) {
      if (e.breaksAt === undefined) continue;
      const cur = r.least.get(e.dimension);
      if (!cur || e.breaksAt < cur.value)
        r.least.set(e.dimension, {
          value: e.breaksAt,
          property: c.property,
          ...(e.counterexample ? { reproduce: e.counterexample.reproduce } : {}),
        });
    }
  }
  return [...out.values()];
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/**
 * The frontier as text: the dimensions and their ceilings, then per policy how far every cell that
 * holds at the defaults keeps holding along each dimension ("holds up to"), with the first cell to
 * break and the command that shows it; then, for cells violated at the defaults, the least value at
 * which each is still violated.
 */
export function renderFrontierText(f: FrontierResult): string {
  const out: string[] = [];
  const dims = f.dimensions;
  out.push(
    `switchlab frontier: ${f.policies.length} policies; ${f.cells.length} cells searched${f.properties ? ` (properties ${f.properties.join(", ")})` : ""}; ${f.explorations} explorations`,
    runLine(f),
    "each assumption moved alone, the others at the row's values; searched:",
  );
  for (const d of dims)
    out.push(
      `  ${pad(d.option, 22)} ${d.floor}..${d.ceiling}${unit(d)}, ${d.monotone ? "one minimax exploration at the ceiling" : "one exploration per value"} (${d.why})`,
    );
  out.push(
    "",
    "holds up to (the weakest cell that holds at the defaults; '(ceiling)': nothing broke up to the ceiling):",
  );
  const polW = Math.max(6, ...f.policies.map((p) => p.id.length));
  const colW = dims.map((d) => Math.max(d.option.length - 2, 14));
  out.push(`  ${pad("policy", polW)} ${dims.map((d, i) => pad(d.option.slice(2), colW[i] as number)).join(" ")}`);
  for (const p of f.policies) {
    const row = dims.map((d, i) =>
      pad(holdsUpToText(f.summary.find((s) => s.policy === p.id && s.dimension === d.id)), colW[i] as number),
    );
    out.push(`  ${pad(p.id, polW)} ${row.join(" ")}`);
  }
  const breaks = f.summary.filter((s) => s.breaksAt !== undefined);
  if (breaks.length) {
    out.push("", "where each pass breaks first:");
    for (const s of breaks) {
      const d = dims.find((x) => x.id === s.dimension) as Dim;
      const c = f.cells.find((x) => x.policy === s.policy && cellName(x) === s.where);
      const e = c?.edges.find((x) => x.dimension === s.dimension);
      out.push(
        `  ${s.policy}: ${d.option} ${s.breaksAt}${unit(d)} breaks ${s.where}${e?.counterexample ? `: ${e.counterexample.symptom}` : ""}`,
      );
      if (e?.counterexample) out.push(`    reproduce: ${e.counterexample.reproduce}`);
    }
  }
  const rows = violatedRows(f);
  if (rows.length) {
    out.push(
      "",
      "rows violated at the defaults: the least value of each dimension at which the row is still violated:",
    );
    for (const r of rows) {
      const parts = dims.flatMap((d) => {
        const l = r.least.get(d.id);
        return l ? [`${d.option.slice(2)} >= ${l.value}`] : [];
      });
      out.push(`  ${r.row} (${r.properties.length} properties): ${parts.join(", ")}`);
    }
  }
  const bad = f.cells.flatMap((c) =>
    c.edges.filter((e) => e.inconsistent).map((e) => `${c.policy}/${cellName(c)} ${e.dimension}: ${e.inconsistent}`),
  );
  if (bad.length) {
    out.push(
      "",
      `MODEL BUG: ${bad.length} searches contradict the verdict at the defaults (a dimension is not monotone):`,
    );
    for (const b of bad) out.push(`  ${b}`);
  }
  if (f.problems.length) {
    out.push("", "plugins skipped:");
    for (const p of f.problems) out.push(`  ${p.path}: ${p.message}`);
  }
  return `${out.join("\n")}\n`;
}

/** The frontier as Markdown: the "holds up to" table per policy, then where each pass breaks. */
export function renderFrontierMarkdown(f: FrontierResult): string {
  const dims = f.dimensions;
  const out: string[] = ["# switchlab frontier", ""];
  out.push(
    `Each assumption moved alone from the row's value up to its ceiling (${dims.map((d) => `\`${d.option}\` ${d.ceiling}${unit(d)}`).join(", ")}); ${f.explorations} explorations. ${runLine(f)}.`,
    "",
  );
  out.push(`| policy | ${dims.map((d) => `holds up to \`${d.option}\``).join(" | ")} |`);
  out.push(`|---|${dims.map(() => "---:").join("|")}|`);
  for (const p of f.policies)
    out.push(
      `| ${p.id} | ${dims.map((d) => holdsUpToText(f.summary.find((s) => s.policy === p.id && s.dimension === d.id))).join(" | ")} |`,
    );
  const breaks = f.summary.filter((s) => s.breaksAt !== undefined);
  if (breaks.length) {
    out.push("", "## Where each pass breaks first", "");
    for (const s of breaks) {
      const d = dims.find((x) => x.id === s.dimension) as Dim;
      const c = f.cells.find((x) => x.policy === s.policy && cellName(x) === s.where);
      const e = c?.edges.find((x) => x.dimension === s.dimension);
      out.push(
        `- **${s.policy}**, \`${d.option} ${s.breaksAt}\`: ${s.where}${e?.counterexample ? ` (${e.counterexample.symptom}); \`${e.counterexample.reproduce}\`` : ""}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

/** The frontier as a self-contained HTML page: the "holds up to" table, breaks, and violated floors. */
export function renderFrontierHtml(f: FrontierResult): string {
  const dims = f.dimensions;
  const rows = f.policies
    .map(
      (p) =>
        `<tr><td>${esc(p.id)}</td>${dims
          .map((d) => {
            const s = f.summary.find((x) => x.policy === p.id && x.dimension === d.id);
            const cls = !s || s.cells === 0 ? "not-applicable" : s.breaksAt === undefined ? "holds" : "breaks";
            return `<td class="num ${cls}" title="${esc(s?.where ?? "")}">${esc(holdsUpToText(s))}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("\n");
  const breaks = f.summary
    .filter((s) => s.breaksAt !== undefined)
    .map((s) => {
      const d = dims.find((x) => x.id === s.dimension) as Dim;
      return `<li><b>${esc(s.policy)}</b>: <code>${esc(`${d.option} ${s.breaksAt}`)}</code> breaks ${esc(s.where ?? "")}</li>`;
    })
    .join("");
  const body = `<header><h1>switchlab frontier</h1>
<p>Each assumption moved alone from the row's value up to its ceiling; ${f.explorations} explorations.</p>
<p class="run">${esc(runLine(f))}</p></header>
<main><h2>Holds up to</h2>
<table id="frontier"><thead><tr><th>policy</th>${dims.map((d) => `<th title="${esc(d.why)}">${esc(d.option)} (to ${d.ceiling}${esc(unit(d))})</th>`).join("")}</tr></thead><tbody>
${rows}
</tbody></table>
${breaks ? `<h2>Where each pass breaks first</h2><ul>${breaks}</ul>` : ""}
</main>`;
  return page("switchlab frontier", body, { cells: [] });
}

/**
 * The matrix's frontier section: per policy, how far its passes hold along each assumption
 * ("holds up to"; "c" marks the ceiling, nothing broke). Without a frontier, one line saying how to
 * get it. `short` uses the narrow column names (each assumption's record's short name, from `list`).
 */
export function matrixFrontierLines(
  m: MatrixResult,
  short = false,
  list: readonly AnyAssumption[] = ASSUMPTIONS,
): string[] {
  const f = m.frontier;
  if (!f)
    return [
      "frontier: not computed for these inputs; `pnpm switchlab matrix --frontier` (or `switchlab frontier`) computes it, and later runs show it",
    ];
  const dims = f.dimensions;
  const name = (d: Dim) => (short ? assumptionShort(d.id, list) : d.option.slice(2));
  const val = (s: FrontierSummary | undefined) =>
    !s
      ? "-"
      : s.cells === 0
        ? "n/a"
        : s.breaksAt === undefined
          ? `${s.holdsUpTo}${short ? "c" : " (ceiling)"}`
          : String(s.holdsUpTo);
  const polW = Math.min(short ? 20 : 40, Math.max(6, ...m.policies.map((p) => p.id.length)));
  const colW = dims.map((d) => Math.max(name(d).length, short ? 5 : 11));
  const out = [
    `frontier (${f.source === "cache" ? "from switchlab frontier's cache, same inputs and build" : "computed"}; ${f.explorations} explorations): each pass holds up to`,
    `  ${pad("policy", polW)} ${dims.map((d, i) => pad(name(d), colW[i] as number)).join(" ")}`,
  ];
  for (const p of m.policies) {
    const id = p.id.length > polW ? `${p.id.slice(0, polW - 1)}~` : p.id;
    out.push(
      `  ${pad(id, polW)} ${dims.map((d, i) => pad(val(f.summary.find((s) => s.policy === p.id && s.dimension === d.id)), colW[i] as number)).join(" ")}`,
    );
  }
  return out;
}
