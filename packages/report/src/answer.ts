import {
  type Answer,
  type AnswerGroup,
  answerOf,
  type CandidateAnswer,
  type GroupAnswer,
  type MatrixResult,
  RACE_PROPERTIES,
  rowKey,
  type SharedFinding,
} from "@switchlab/conformance";
import { ASSUMPTIONS } from "@switchlab/model";
import { matrixFrontierLines } from "./frontier.js";
import { isNotProven } from "./verdicts.js";
import { wrapLine } from "./wrap.js";

/** The widest line the answer prints (a terminal, an e-mail quote). */
export const ANSWER_WIDTH = 100;

const CPU_SHORT: Readonly<Record<AnswerGroup["cpu"], string>> = {
  "no-isolation": "no-iso",
  isolation: "iso",
  mediated: "med",
};

const cells = (n: number) => `${n} cell${n === 1 ? "" : "s"}`;
const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

/** One group's mark: the race's state, then +N for cells the candidate breaks there. */
function groupMark(g: GroupAnswer): string {
  const race = { closed: "closed", partial: "part", open: "open", absent: "", "not-proven": "?" }[g.race];
  return g.breaks ? `${race}+${g.breaks}` : race || "-";
}

/** "v5.11 no-iso, v7.3 iso" */
function groupsLine(gs: readonly AnswerGroup[]): string {
  return gs.map((g) => `${g.kernel} ${CPU_SHORT[g.cpu]}`).join(", ");
}

/** A command line folded to the width, continued with a backslash. */
function fold(cmd: string, indent: string): string[] {
  const words = cmd.split(" ");
  const out: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.trim() && line.length + 1 + w.length > ANSWER_WIDTH - 2) {
      out.push(`${line} \\`);
      line = `${indent}    ${w}`;
    } else line = line.trim() ? `${line} ${w}` : `${indent}${w}`;
  }
  out.push(line);
  return out;
}

/**
 * Shared findings that show in the same places (scenarios, kernel x CPU groups, cells) and whose
 * shortest counterexamples are on the same row: one entry each, with one reproduce line for all
 * their properties (check --property takes a list).
 */
function sameplaces(shared: readonly SharedFinding[]): SharedFinding[][] {
  const out = new Map<string, SharedFinding[]>();
  for (const f of shared) {
    const e = f.example;
    const k = [f.scenarios.join(","), groupsLine(f.groups), f.cells, e.policy, e.profile, e.scenario].join("\u0000");
    const l = out.get(k);
    if (l) l.push(f);
    else out.set(k, [f]);
  }
  return [...out.values()];
}

/** The assumptions of the run in one or two lines: each value, or its range over the scenarios. */
function assumptionLines(m: MatrixResult): string[] {
  const vals = new Map<string, Set<string>>();
  for (const c of m.cells)
    for (const [k, v] of Object.entries(c.assumptions)) {
      if (k === "kernel") continue;
      const s = vals.get(k) ?? new Set<string>();
      s.add(String(v));
      vals.set(k, s);
    }
  const show = (k: string, label: string, unit = "") => {
    const s = [...(vals.get(k) ?? [])];
    if (s.length === 0) return undefined;
    const nums = s.map(Number);
    const v = nums.every(Number.isFinite) && s.length > 1 ? `${Math.min(...nums)}-${Math.max(...nums)}` : s.join("|");
    return `${label} ${v}${unit && v !== "unbounded" ? unit : ""}`;
  };
  // Every assumption of the registry, in its order, as its record names it.
  const parts = ASSUMPTIONS.map((a) => show(a.id, a.title, a.unit ? ` ${a.unit}` : "")).filter(
    (x): x is string => x !== undefined,
  );
  const out: string[] = [];
  let line = "assumptions:";
  for (const p of parts) {
    if (line.length + p.length + 2 > ANSWER_WIDTH) {
      out.push(`${line},`);
      line = `  ${p}`;
    } else line = line.endsWith(":") ? `${line} ${p}` : `${line}, ${p}`;
  }
  out.push(line);
  return out;
}

function costCell(c: CandidateAnswer): string {
  if (!c.cost) return "-";
  const d = c.cost.deltaCycles;
  return d === undefined ? `${c.cost.cycles}` : `${c.cost.cycles} ${d >= 0 ? "+" : ""}${d}`;
}

/** The frontier (when computed) and where the detail is. */
function tail(m: MatrixResult): string[] {
  const out: string[] = [];
  if (m.frontier) out.push(...matrixFrontierLines(m, true), "");
  else out.push("How far each pass holds: `pnpm switchlab matrix --frontier` computes it (cached).");
  out.push("More: --details (every table and violation), --format html|markdown|email|json|junit|tap.");
  return out;
}

/**
 * The matrix's default text: the answer first, on one screen. Which candidate closes the 2021 race
 * on which kernel and CPU class, what each breaks that original does not (with one reproduce line
 * each), its cost per round trip against original's, how far the passes hold (the frontier, when
 * computed), and the findings every policy shares, once. `--details` gives the per-scenario tables
 * and every violation (renderText).
 */
export function renderAnswer(m: MatrixResult, a: Answer = answerOf(m)): string {
  const out: string[] = [];
  const explorations = new Set(m.cells.map(rowKey)).size;
  const notProven = m.cells.filter(isNotProven).length;
  const errors = m.cells.filter((c) => c.verdict === "error").length;
  out.push(
    `switchlab matrix: ${m.policies.length} policies x ${m.profiles.length} CPUs x ${m.scenarios.length} scenario rows, ${explorations} explorations`,
    notProven + errors === 0
      ? "every cell complete within its bounds, every guard reached"
      : `NOT PROVEN: ${notProven} cells unknown or vacuous, ${errors} in error (see --details)`,
    ...assumptionLines(m),
  );
  if (m.problems.length) out.push(`plugins skipped: ${m.problems.length} (see --details)`);
  if (!a.baseline) {
    out.push("", "original is not in this run, so no candidate is compared (add it: --policy original,...).");
    for (const p of m.policies) {
      const mine = m.cells.filter((c) => c.policy === p.id);
      const n = (v: string) => mine.filter((c) => c.verdict === v).length;
      out.push(
        `  ${p.id}: ${n("violated")} violated, ${n("holds")} hold, ${mine.length - n("violated") - n("holds")} other`,
      );
    }
    out.push("");
    out.push(...tail(m));
    return `${out.join("\n")}\n`;
  }
  const nameW = Math.min(34, Math.max(9, ...a.candidates.map((c) => c.policy.length)));
  const colW = Math.max(7, ...a.candidates.flatMap((c) => c.groups.map((g) => groupMark(g).length)));
  const kernels = [...new Set(a.groups.map((g) => g.kernel))];
  const head1 = kernels
    .map((k) => {
      const n = a.groups.filter((g) => g.kernel === k).length;
      return pad(k, n * (colW + 1) - 1);
    })
    .join(" ");
  out.push(
    "",
    "The 2021 race (a PMI throttles host PEBS after perf_guest_get_msrs; the VM-exit list restores",
    "a stale PEBS_ENABLE bit): closed = every race cell original fails there holds; part = some",
    "do; open = none does; - = original fails none there; +N = cells it fails that original passes.",
    "",
    `${pad("", nameW)}  ${head1}  cycles/rt`,
    `${pad("candidate", nameW)}  ${a.groups.map((g) => pad(CPU_SHORT[g.cpu], colW)).join(" ")}  (vs orig)`,
  );
  for (const c of a.candidates) {
    const name = c.policy.length > nameW ? `${c.policy.slice(0, nameW - 1)}~` : c.policy;
    out.push(`${pad(name, nameW)}  ${c.groups.map((g) => pad(groupMark(g), colW)).join(" ")}  ${costCell(c)}`);
  }
  const broken = a.candidates.filter((c) => c.breakages.length > 0);
  out.push("");
  if (broken.length === 0) out.push("No candidate fails a cell that original passes.");
  else {
    out.push("What each candidate breaks that original does not (its shortest counterexample):");
    for (const c of broken) {
      const b = c.breakages[0];
      if (!b) continue;
      const more =
        c.breakages.length > 1
          ? `; also ${c.breakages
              .slice(1)
              .map((x) => `${x.property} (${x.cells})`)
              .join(", ")}`
          : "";
      out.push(
        ...wrapLine(
          `  ${c.policy}: ${b.property}, ${cells(b.cells)} (${groupsLine(b.groups)})${more}`,
          ANSWER_WIDTH,
          6,
        ),
      );
      if (b.example.counterexample) out.push(...fold(b.example.counterexample.reproduce, "    "));
    }
  }
  out.push("");
  if (a.shared.length === 0) out.push("Findings every policy shares: none.");
  else {
    out.push("Findings every policy shares (independent of the patch; not counted above):");
    for (const fs of sameplaces(a.shared)) {
      const f = fs[0] as SharedFinding;
      const names = fs.map((x) => `${x.property}${RACE_PROPERTIES.includes(x.property) ? " [race]" : ""}`);
      const line = `  ${names.join(", ")}: ${f.scenarios.join(", ")} (${groupsLine(f.groups)}; ${cells(f.cells)} each)`;
      out.push(...wrapLine(line, ANSWER_WIDTH, 6));
      const cx = f.example.counterexample;
      if (cx)
        out.push(
          ...fold(
            cx.reproduce.replace(`--property ${f.property}`, `--property ${fs.map((x) => x.property).join(",")}`),
            "    ",
          ),
        );
    }
  }
  out.push("", ...tail(m));
  return `${out.join("\n")}\n`;
}
