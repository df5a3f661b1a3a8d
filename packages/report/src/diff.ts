import type { DiffResult } from "@switchlab/conformance";
import { esc, page } from "./html/page.js";

const COL = 64;

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 2)}..` : s + " ".repeat(n - s.length);
}

/** Two policies' runs of the same interleaving, side by side: one line per choice, aligned by step. */
export function renderDiffText(d: DiffResult): string {
  const out: string[] = [
    `switchlab diff ${d.a} ${d.b}: ${d.items.length} disagreement(s) over ${d.compared} (profile, scenario) rows`,
  ];
  for (const it of d.items) {
    const [x, y] = it.runs;
    out.push("", `${it.profile} / ${it.scenario} / ${it.property}`, `  ${it.summary}`, "");
    out.push(`  ${cut(`${x.policy} (${x.verdict})`, COL)} | ${y.policy} (${y.verdict})`);
    out.push(`  ${"-".repeat(COL)} | ${"-".repeat(COL)}`);
    const n = Math.max(x.run.timeline.length, y.run.timeline.length);
    for (let i = 0; i < n; i++) {
      const l = x.run.timeline[i];
      const r = y.run.timeline[i];
      const fmt = (s: typeof l) => (s ? `${String(s.n).padStart(3)} ${s.mode.padEnd(8)} ${s.action}` : "");
      out.push(`  ${cut(fmt(l), COL)} | ${fmt(r)}`);
    }
    out.push(`  ${cut(`=> ${x.run.symptom}`, COL)} | => ${y.run.symptom}`);
    out.push(`  reproduce: ${x.run.reproduce}`);
  }
  return `${out.join("\n")}\n`;
}

/** The diff as an HTML page: for each disagreement, the two runs as aligned swimlane timelines. */
export function renderDiffHtml(d: DiffResult): string {
  const body = `<header><h1>switchlab diff: ${esc(d.a)} vs ${esc(d.b)}</h1>
<p>${d.items.length} disagreement(s) over ${d.compared} (profile, scenario) rows. Each shows the violating policy's shortest counterexample above the other policy's run of the same events.</p></header>
<main><section id="diff-panel"></section></main>`;
  return page(`switchlab diff ${d.a} ${d.b}`, body, { cells: [], diff: d.items });
}
