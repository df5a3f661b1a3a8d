import { type MatrixCell, type MatrixResult, reproduceLine, toJsonForm } from "@switchlab/conformance";
import { renderAnswer } from "../answer.js";
import { holdsUpToText } from "../frontier.js";
import { shortName } from "../short-names.js";
import { rowsOf } from "../text.js";
import { isFailure, notProvenRows, runLine, scenarioAssumptions } from "../verdicts.js";
import { STYLE } from "./style.js";
import { TIMELINE_SCRIPT } from "./timeline-script.js";

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, "\\u003c");
}

/** A self-contained page: inline style, inline data, inline script; nothing fetched at view time. */
export function page(title: string, body: string, data: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script type="application/json" id="switchlab-data">${scriptJson(data)}</script>
<script>${TIMELINE_SCRIPT}</script>
</body>
</html>
`;
}

const LABEL: Readonly<Record<string, string>> = {
  holds: "ok",
  violated: "FAIL",
  unknown: "UNKNOWN",
  vacuous: "VACUOUS",
  "not-applicable": "n/a",
  error: "ERR",
};

function select(kind: string, ids: readonly string[]): string {
  return `<label>${kind} <select id="filter-${kind}"><option value="">all</option>${ids.map((i) => `<option>${esc(i)}</option>`).join("")}</select></label>`;
}

/**
 * Data the page script needs: the violated cells by their index in the table, each naming its
 * counterexample, and each distinct counterexample once, in the JSON's compact form (timeline
 * steps as indices into one string table, json-form.ts), decoded when a cell is clicked. The
 * text traces stay out.
 */
function pageData(m: MatrixResult): unknown {
  const j = toJsonForm(m);
  const cells: Record<number, unknown> = {};
  // Symptoms repeat (19 distinct in the default matrix's 2,600 violated cells): each once. A
  // reproduce line is the row's (row.ts reproduceLine), rebuilt by the page from this template
  // unless the cell ran under assumptions of its own (then it is given whole).
  const symptoms: string[] = [];
  const symptomIndex = new Map<string, number>();
  const HOLE = (k: string) => `\u0001${k}\u0001`;
  const template = reproduceLine(
    { policy: HOLE("policy"), profile: HOLE("profile"), scenario: HOLE("scenario") },
    HOLE("property"),
  );
  j.cells.forEach((c, i) => {
    const cx = c.counterexample;
    if (!cx) return;
    let s = symptomIndex.get(cx.symptom);
    if (s === undefined) {
      s = symptoms.push(cx.symptom) - 1;
      symptomIndex.set(cx.symptom, s);
    }
    const own = cx.reproduce !== reproduceLine(c, c.property);
    cells[i] = {
      policy: c.policy,
      profile: c.profile,
      scenario: c.scenario,
      property: c.property,
      ref: cx.ref,
      symptom: s,
      ...(own ? { reproduce: cx.reproduce } : {}),
    };
  });
  return {
    cells,
    symptoms,
    reproduce: template,
    counterexamples: j.counterexamples.map((x) => x.steps),
    strings: j.strings,
  };
}

/** Cells not proven, unreached guards, skipped plugins: each listed, never folded into a pass. */
function notProvenSection(m: MatrixResult): string {
  const parts: string[] = [];
  const open = notProvenRows(m);
  if (open.length)
    parts.push(
      `<h2>Not proven</h2><ul class="not-proven">${open.map((r) => `<li class="${r.verdict}">${esc(`${r.policy} / ${r.profile} / ${r.scenario}`)}: <b>${r.verdict}</b> (${r.properties.length} properties): ${esc(r.message)}</li>`).join("")}</ul>`,
    );
  const unreached = m.guards.filter((g) => !g.reached);
  if (unreached.length)
    parts.push(
      `<h2>Guards not reached</h2><ul class="guards">${unreached.map((g) => `<li>${esc(`${g.policy} / ${g.profile} / ${g.scenario}`)}: <code>${esc(g.guard)}</code></li>`).join("")}</ul>`,
    );
  if (m.problems.length)
    parts.push(
      `<h2>Plugins skipped</h2><ul class="problems">${m.problems.map((p) => `<li><code>${esc(p.path)}</code>: ${esc(p.message)}</li>`).join("")}</ul>`,
    );
  return parts.join("\n");
}

/**
 * The matrix as one self-contained HTML page: a table coloured by verdict with filters by
 * policy, profile and scenario and the cost of a round trip on each row, a per-policy cost
 * summary, and a click on a violated cell opens its counterexample as a swimlane timeline.
 */
export function renderHtml(m: MatrixResult): string {
  const props = m.properties.map((p) => p.id);
  const index = new Map<MatrixCell, number>(m.cells.map((c, i) => [c, i]));
  const rows = rowsOf(m)
    .map((r) => {
      const by = new Map(r.cells.map((c) => [c.property, c]));
      const cost = m.costs.find((c) => c.policy === r.policy && c.profile === r.profile && c.scenario === r.scenario);
      const first = r.cells[0] as MatrixCell;
      const tds = props
        .map((p) => {
          const c = by.get(p);
          if (!c) return "<td>-</td>";
          // Only what is not a plain pass or n/a carries its index and a title (the page stays small).
          if (c.verdict === "holds" || c.verdict === "not-applicable")
            return `<td class="cell ${c.verdict}">${LABEL[c.verdict]}</td>`;
          // A violated cell's title (its symptom) is set by the page script from the data.
          const title = c.verdict === "violated" ? "" : ` title="${esc(`${c.verdict}: ${c.message ?? ""}`)}"`;
          return `<td class="cell ${c.verdict}" data-cell="${index.get(c)}"${title}>${LABEL[c.verdict]}</td>`;
        })
        .join("");
      return `<tr data-policy="${esc(r.policy)}" data-profile="${esc(r.profile)}" data-scenario="${esc(r.scenario)}"><td>${esc(r.policy)}</td><td>${esc(r.profile)}</td><td>${esc(r.scenario)}</td>${tds}<td class="num">${cost?.cyclesPerRoundtrip ?? "-"}</td><td class="num">${cost?.msrWritesPerRoundtrip ?? "-"}</td><td class="num">${first.states}</td><td>${first.complete ? "yes" : `no (${esc(first.bound?.name ?? "sampled")})`}</td></tr>`;
    })
    .join("\n");
  const summary = m.policies
    .map((p) => {
      const cells = m.cells.filter((c) => c.policy === p.id);
      const costs = m.costs.filter((c) => c.policy === p.id);
      const mean = costs.length ? Math.round(costs.reduce((a, c) => a + c.cyclesPerRoundtrip, 0) / costs.length) : 0;
      const fr = m.frontier
        ? m.frontier.dimensions
            .map(
              (d) =>
                `<td class="num">${esc(holdsUpToText(m.frontier?.summary.find((s) => s.policy === p.id && s.dimension === d.id)))}</td>`,
            )
            .join("")
        : "";
      return `<tr><td>${esc(p.id)}</td><td>${esc(p.title)}</td><td class="num">${cells.filter(isFailure).length}</td>${fr}<td class="num">${cells.filter((c) => c.verdict === "unknown" || c.verdict === "vacuous").length}</td><td class="num">${mean}</td><td><a href="${esc(p.upstream.url)}">${esc(p.upstream.cite)}</a></td></tr>`;
    })
    .join("\n");
  const body = `<header>
<h1>switchlab matrix</h1>
<section id="answer"><h2>The answer</h2><pre class="answer">${esc(renderAnswer(m))}</pre></section>
<p>${m.policies.length} policies x ${m.profiles.length} profiles x ${m.scenarios.length} scenarios x ${props.length} properties: ${m.cells.length} cells, every verdict from an exploration. Click a FAIL cell for its shortest counterexample. Only <span class="cell holds">ok</span> is a pass: <span class="cell unknown">UNKNOWN</span> (a bound stopped the exploration) and <span class="cell vacuous">VACUOUS</span> (a guard was never reached) are not.</p>
<p class="run" id="run">${esc(runLine(m))}</p>
<details><summary>Each scenario's assumptions</summary><dl class="assumptions" id="assumptions">${m.scenarios
    .map(
      (sc) =>
        `<dt>${esc(sc.id)} (${esc(sc.kernel)})</dt>${scenarioAssumptions(m, sc.id)
          .map((a) => `<dd>${esc(a)}</dd>`)
          .join("")}`,
    )
    .join("")}</dl></details>
<div class="filters">${select(
    "policy",
    m.policies.map((p) => p.id),
  )}${select(
    "profile",
    m.profiles.map((p) => p.id),
  )}${select(
    "scenario",
    m.scenarios.map((s) => s.id),
  )}</div>
</header>
<main>
<h2>Policies and their cost</h2>
<table class="costs"><thead><tr><th>policy</th><th>patch</th><th>violated cells</th>${m.frontier ? m.frontier.dimensions.map((d) => `<th title="holds up to (each assumption widened alone)">holds up to ${esc(d.option)}</th>`).join("") : ""}<th>not proven</th><th>mean cycles / round trip</th><th>upstream</th></tr></thead><tbody>
${summary}
</tbody></table>
<p class="legend">Cycles per VM round trip are ${m.costTable.estimates ? "estimates" : "from the given cost table"}: base ${m.costTable.cycles.baseRoundTrip}, WRMSR ${m.costTable.cycles.wrmsr}, entry-list load ${m.costTable.cycles.entryLoad}, exit-list load ${m.costTable.cycles.exitLoad}, field load ${m.costTable.cycles.fieldLoad}.</p>
<h2>Matrix</h2>
<table id="matrix"><thead><tr><th>policy</th><th>profile</th><th>scenario</th>${props.map((p) => `<th title="${esc(p)}">${esc(shortName(p))}</th>`).join("")}<th>cycles/rt</th><th>MSR writes</th><th>states</th><th>complete</th></tr></thead><tbody>
${rows}
</tbody></table>
<p class="legend">${m.properties.map((p) => `<b>${esc(shortName(p.id))}</b> ${esc(p.id)}: ${esc(p.title)}`).join(" &middot; ")}</p>
${notProvenSection(m)}
<section id="timeline-panel" hidden></section>
</main>`;
  return page("switchlab matrix", body, pageData(m));
}
