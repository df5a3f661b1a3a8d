import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
import { matrixFrontierLines } from "./frontier.js";
import { rowsOf } from "./text.js";
import { isFailure, notProvenRows, runLine, scenarioAssumptions, storageLine } from "./verdicts.js";
import { ascii, wrapLine } from "./wrap.js";

export const EMAIL_WIDTH = 72;

/** Three-letter property codes that fit a 72-column table. */
const CODE: Readonly<Record<string, string>> = {
  "no-guest-pf-on-host-ds": "pf",
  "no-unknown-nmi": "nmi",
  "no-late-second-nmi": "2nd",
  "host-pebs-enable-fresh": "frs",
  "stale-bit-bounded": "stl",
  "no-pebs-with-int": "p+i",
  "no-host-pebs-in-guest": "gst",
  "switch-lists-fit": "lst",
};

const MARK: Readonly<Record<string, string>> = {
  holds: ".",
  violated: "X",
  unknown: "?",
  vacuous: "v",
  "not-applicable": "-",
  error: "E",
};

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length);
}

/** A command split into lines of at most `width` columns joined by backslash continuations, so it still pastes as one command. */
function shellLines(cmd: string, width: number): string[] {
  const out: string[] = [];
  let line = "    ";
  for (const word of cmd.split(" ")) {
    if (line.trim() && line.length + word.length + 3 > width) {
      out.push(`${line} \\`);
      line = "      ";
    }
    line += line.trim() ? ` ${word}` : word;
  }
  out.push(line);
  return out;
}

/**
 * The matrix as plain ASCII text that fits 72 columns, with no colour and no box drawing, ready
 * to paste into a reply on a kernel list: the matrix, one block per scenario and profile, then
 * each violation with its shortest trace.
 */
export function renderEmail(m: MatrixResult): string {
  const out: string[] = [];
  const props = m.properties.map((p) => p.id);
  const polW = Math.min(28, Math.max(6, ...m.policies.map((p) => p.id.length)));
  out.push(
    `switchlab matrix: ${m.policies.length} policies, ${m.profiles.length} profiles, ${m.scenarios.length} scenarios, ${props.length} properties.`,
  );
  out.push(...wrapLine(runLine(m), EMAIL_WIDTH, 2));
  out.push(...wrapLine(storageLine(m), EMAIL_WIDTH, 2));
  out.push(". = holds (complete, every guard reached), X = violated,");
  out.push("? = unknown (a bound stopped it), v = vacuous (a guard never");
  out.push("reached), - = not applicable, E = error; cycles = one steady-state");
  out.push("VM round trip (estimates).");
  out.push("");
  out.push("Properties:");
  for (const p of m.properties)
    out.push(...wrapLine(`  ${pad(CODE[p.id] ?? p.id, 4)}${p.id}: ${p.title}`, EMAIL_WIDTH, 8));
  const rows = rowsOf(m);
  for (const s of m.scenarios) {
    out.push("");
    out.push(...wrapLine(`${s.id} (${s.kernel}) assumes:`, EMAIL_WIDTH));
    for (const a of scenarioAssumptions(m, s.id)) out.push(...wrapLine(`  ${a}`, EMAIL_WIDTH, 4));
    for (const prof of m.profiles) {
      const block = rows.filter((r) => r.scenario === s.id && r.profile === prof.id);
      if (!block.length) continue;
      out.push("");
      out.push(...wrapLine(`${s.id} (${s.kernel}) on ${prof.id}:`, EMAIL_WIDTH));
      out.push(`  ${pad("policy", polW)} ${props.map((p) => pad(CODE[p] ?? p, 4)).join("")}cycles`);
      for (const r of block) {
        const by = new Map(r.cells.map((c) => [c.property, c]));
        const cost = m.costs.find((c) => c.policy === r.policy && c.profile === r.profile && c.scenario === r.scenario);
        const first = r.cells[0] as MatrixCell;
        out.push(
          `  ${pad(r.policy, polW)} ${props.map((p) => pad(MARK[by.get(p)?.verdict ?? ""] ?? "?", 4)).join("")}${String(cost?.cyclesPerRoundtrip ?? "-").padStart(6)}${first.complete ? "" : " *"}`,
        );
      }
    }
  }
  if (m.cells.some((c) => !c.complete))
    out.push("", "* not complete: a bound stopped the exploration, or it was sampled.");
  const open = notProvenRows(m);
  if (open.length) {
    out.push("", "Not proven (neither a pass nor a violation):");
    for (const r of open)
      out.push(...wrapLine(`  ${r.policy} / ${r.profile} / ${r.scenario}: ${r.verdict}: ${r.message}`, EMAIL_WIDTH, 4));
  }
  out.push("");
  for (const l of matrixFrontierLines(m, true)) out.push(...wrapLine(l, EMAIL_WIDTH, 4));
  if (m.problems.length) {
    out.push("", "Plugins skipped:");
    for (const p of m.problems) out.push(...wrapLine(`  ${p.path}: ${p.message}`, EMAIL_WIDTH, 4));
  }
  const fails = m.cells.filter(isFailure);
  for (const c of fails) {
    out.push("");
    out.push(...wrapLine(`${c.policy} / ${c.profile} / ${c.scenario}:`, EMAIL_WIDTH));
    out.push(`  ${c.property} ${c.verdict}`);
    if (c.verdict === "error") {
      out.push(...wrapLine(`  ${c.message}`, EMAIL_WIDTH, 4));
      continue;
    }
    const cx = c.counterexample;
    if (!cx) continue;
    out.push(...wrapLine(`  symptom: ${cx.symptom}`, EMAIL_WIDTH, 4));
    out.push("  reproduce:", ...shellLines(cx.reproduce, EMAIL_WIDTH));
    for (const l of cx.trace) out.push(...wrapLine(`  ${l}`, EMAIL_WIDTH, 20));
  }
  return `${out.map((l) => ascii(l).trimEnd()).join("\n")}\n`;
}
