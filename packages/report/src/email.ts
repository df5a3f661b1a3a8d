import type { MatrixCell, MatrixResult } from "@switchlab/conformance";
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
import { matrixFrontierLines } from "./frontier.js";
import { MARK_CHAR } from "./short-names.js";
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
  "host-perf-msrs-fresh": "msr",
  "vm-not-killed": "vmk",
  "mediated-host-quiet-in-guest": "mhq",
  "mediated-guest-counts-only-guest": "mgc",
  "mediated-guest-state-restored": "mgs",
  "mediated-guest-pmi-to-guest": "mgp",
  "mediated-host-pmi-to-host": "mhp",
  "mediated-pmu-returned-clean": "mrc",
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

export interface ReportOptions {
  /** Every failing cell with its whole trace, and the matrix with cycles per row (the long form). */
  readonly full?: boolean;
}

/**
 * The matrix as plain ASCII text that fits 72 columns, with no colour and no box drawing, ready
 * to paste into a reply on a kernel list. By default: the matrix (a row per policy, a column of
 * verdict marks per profile), what is not proven, the frontier, then one shortest counterexample
 * per (policy, property) with the cells it stands for and how to reproduce each of them. With
 * `full`, one block per scenario and profile with cycles, and every failing cell's whole trace.
 */
export function renderEmail(m: MatrixResult, opts: ReportOptions = {}): string {
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
  out.push("reached), - = not applicable, E = error, * = not complete.");
  if (opts.full) out.push("cycles = one steady-state VM round trip (estimates).");
  out.push("");
  out.push("Properties:");
  for (const p of m.properties)
    out.push(...wrapLine(`  ${pad(CODE[p.id] ?? p.id, 4)}${p.id}: ${p.title}`, EMAIL_WIDTH, 8));
  const rows = rowsOf(m);
  const marks = (r: (typeof rows)[number], only: readonly string[] = props) => {
    const by = new Map(r.cells.map((c) => [c.property, c]));
    return only.map((p) => MARK_CHAR[by.get(p)?.verdict ?? ""] ?? "?").join("");
  };
  const letters = m.profiles.map((_, i) => String.fromCharCode(65 + i));
  const letterOf = (id: string) => letters[m.profiles.findIndex((p) => p.id === id)] ?? id;
  if (!opts.full) {
    // Policies are named by number in the tables (the ids are long): p1, p2, ...
    const num = new Map(m.policies.map((p, i) => [p.id, `p${i + 1}`]));
    const polW = Math.max(6, ...[...num.values()].map((x) => x.length));
    out.push("", "Policies (rows of the tables below):");
    for (const p of m.policies) out.push(...wrapLine(`  ${pad(num.get(p.id) ?? "", 4)}${p.id}`, EMAIL_WIDTH, 6));
    out.push("", "Profiles (one column each; its marks are the scenario's");
    out.push("properties, in the order its `marks:` line gives):");
    m.profiles.forEach((p, i) => {
      out.push(...wrapLine(`  ${letters[i]} ${p.id}`, EMAIL_WIDTH, 6));
    });
    const star = m.cells.some((c) => !c.complete) ? 1 : 0;
    for (const s of m.scenarios) {
      const here = rows.filter((r) => r.scenario === s.id);
      const shown = scenarioProperties(m, s.id);
      const colW = shown.length + star;
      const perLine = Math.max(1, Math.floor((EMAIL_WIDTH - 3 - polW) / (colW + 1)));
      out.push("");
      out.push(...wrapLine(`${s.id} (${s.kernel}), assuming:`, EMAIL_WIDTH));
      for (const a of scenarioAssumptions(m, s.id)) out.push(...wrapLine(`  ${a}`, EMAIL_WIDTH, 4));
      out.push(...wrapLine(`  marks: ${shown.map((p) => CODE[p] ?? p).join(" ")}`, EMAIL_WIDTH, 9));
      // A policy whose marks are the first policy's on every profile is named, not repeated.
      const rowMarks = (pol: string) =>
        m.profiles
          .map((prof) => {
            const r = here.find((x) => x.profile === prof.id && x.policy === pol);
            return r ? marks(r, shown) + ((r.cells[0] as MatrixCell).complete ? "" : "*") : "";
          })
          .join(" ");
      const first = referencePolicy(m);
      const same = m.policies.filter((p) => p.id !== first && rowMarks(p.id) === rowMarks(first));
      const listed = m.policies.filter((p) => !same.includes(p));
      for (let from = 0; from < m.profiles.length; from += perLine) {
        const profs = m.profiles.slice(from, from + perLine);
        out.push(`  ${pad("policy", polW)} ${profs.map((p) => pad(letterOf(p.id), colW)).join(" ")}`.trimEnd());
        for (const pol of listed) {
          const cols = profs.map((prof) => {
            const r = here.find((x) => x.profile === prof.id && x.policy === pol.id);
            if (!r) return pad("", colW);
            return pad(marks(r, shown) + ((r.cells[0] as MatrixCell).complete ? "" : "*"), colW);
          });
          out.push(`  ${pad(num.get(pol.id) ?? pol.id, polW)} ${cols.join(" ")}`.trimEnd());
        }
      }
      if (same.length)
        out.push(
          ...wrapLine(
            `  as ${num.get(first) ?? first}: ${same.map((p) => num.get(p.id) ?? p.id).join(" ")}`,
            EMAIL_WIDTH,
            4,
          ),
        );
    }
  } else
    for (const s of m.scenarios) {
      out.push("");
      out.push(...wrapLine(`${s.id} (${s.kernel}) assumes:`, EMAIL_WIDTH));
      for (const a of scenarioAssumptions(m, s.id)) out.push(...wrapLine(`  ${a}`, EMAIL_WIDTH, 4));
      for (const prof of m.profiles) {
        const block = rows.filter((r) => r.scenario === s.id && r.profile === prof.id);
        if (!block.length) continue;
        out.push("");
        out.push(...wrapLine(`${s.id} (${s.kernel}) on ${prof.id}:`, EMAIL_WIDTH));
        const on = scenarioProperties(m, s.id);
        out.push(`  ${pad("policy", polW)} ${on.map((p) => pad(CODE[p] ?? p, 4)).join("")}cycles`);
        for (const r of block) {
          const cost = m.costs.find(
            (c) => c.policy === r.policy && c.profile === r.profile && c.scenario === r.scenario,
          );
          const first = r.cells[0] as MatrixCell;
          out.push(
            `  ${pad(r.policy, polW)} ${[...marks(r, on)].map((x) => pad(x, 4)).join("")}${String(cost?.cyclesPerRoundtrip ?? "-").padStart(6)}${first.complete ? "" : " *"}`,
          );
        }
      }
    }
  if (m.cells.some((c) => !c.complete && c.verdict !== "error"))
    out.push("", "* not complete: a bound stopped the exploration, or it was sampled.");
  const open = notProvenRows(m);
  if (open.length) {
    out.push("", "Not proven (neither a pass nor a violation):");
    for (const r of open)
      out.push(...wrapLine(`  ${r.policy} / ${r.profile} / ${r.scenario}: ${r.verdict}: ${r.message}`, EMAIL_WIDTH, 4));
  }
  const unreached = m.guards.filter((g) => !g.reached);
  if (unreached.length) {
    out.push("", "Guards not reached:");
    for (const g of unreached)
      out.push(...wrapLine(`  ${g.policy} / ${g.profile} / ${g.scenario}: ${g.guard}`, EMAIL_WIDTH, 4));
  }
  out.push("");
  for (const l of matrixFrontierLines(m, true)) out.push(...wrapLine(l, EMAIL_WIDTH, 4));
  if (m.problems.length) {
    out.push("", "Plugins skipped:");
    for (const p of m.problems) out.push(...wrapLine(`  ${p.path}: ${p.message}`, EMAIL_WIDTH, 4));
  }
  if (opts.full) {
    for (const c of m.cells.filter(isFailure)) {
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
  const groups = violationGroups(m);
  if (groups.length) {
    out.push("", "Counterexamples: the shortest per policy and property, one block for");
    out.push("policies violating a property in the same cells (--full prints");
    out.push("every failing cell with its whole trace). Each lists the events of the");
    out.push("path (overflows, NMIs, exits, perf scheduling), numbered by their place");
    out.push("in it; `switchlab check` replays the whole path, step by step.");
    out.push("Profiles are named by their letters above.");
  }
  for (const { group: g, alsoPolicies: policies0 } of sharedViolationGroups(groups)) {
    const policies = [g.policy, ...policies0];
    const c = g.shown;
    const cx = c.counterexample!;
    out.push("");
    out.push(
      ...wrapLine(`${g.policy} / ${g.property}: violated in ${count(g.others.length + 1, "cell")}`, EMAIL_WIDTH),
    );
    if (policies.length > 1)
      out.push(
        ...wrapLine(
          `  the same violated cells for: ${policies.slice(1).join(", ")} (their shortest paths may differ: give their --policy)`,
          EMAIL_WIDTH,
          4,
        ),
      );
    out.push(...wrapLine(`  shown: ${c.profile} / ${c.scenario} (${cx.actions.length} choices)`, EMAIL_WIDTH, 4));
    out.push(...wrapLine(`  symptom: ${cx.symptom}`, EMAIL_WIDTH, 4));
    for (const l of interleaving(cx.actions)) out.push(...wrapLine(`    ${l}`, EMAIL_WIDTH, 8));
    out.push("  reproduce:", ...shellLines(cx.reproduce, EMAIL_WIDTH));
    const same = g.others.filter((o) => withRow(cx.reproduce, o) === o.counterexample?.reproduce);
    const differ = g.others.filter((o) => !same.includes(o));
    if (same.length) {
      out.push("  the others (the same command with their --profile and --scenario):");
      out.push(...wrapLine(`    ${otherCells(same, letterOf).join("; ")}`, EMAIL_WIDTH, 4));
    }
    for (const o of differ) out.push("  and:", ...shellLines(o.counterexample?.reproduce ?? "", EMAIL_WIDTH));
  }
  for (const e of errorGroups(m)) {
    out.push("");
    out.push(...wrapLine(`${e.policy}: error in ${count(e.rows.length, "row")}`, EMAIL_WIDTH));
    out.push(...wrapLine(`  ${e.message}`, EMAIL_WIDTH, 4));
    out.push(...wrapLine(`  rows: ${e.rows.join(", ")}`, EMAIL_WIDTH, 4));
  }
  return `${out.map((l) => ascii(l).trimEnd()).join("\n")}\n`;
}
