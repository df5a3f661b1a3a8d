import { type MatrixCell, type MatrixResult, rowKey } from "@switchlab/conformance";
import { matrixFrontierLines } from "./frontier.js";
import { mark, shortName } from "./short-names.js";
import { isFailure, notProvenRows, runLine, scenarioAssumptions, storageLine } from "./verdicts.js";

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** Group cells by (policy, profile, scenario), keeping the matrix order. */
export function rowsOf(
  m: MatrixResult,
): { key: string; policy: string; profile: string; scenario: string; cells: MatrixCell[] }[] {
  const rows = new Map<
    string,
    { key: string; policy: string; profile: string; scenario: string; cells: MatrixCell[] }
  >();
  for (const c of m.cells) {
    const key = rowKey(c);
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { key, policy: c.policy, profile: c.profile, scenario: c.scenario, cells: [] }));
    r.cells.push(c);
  }
  return [...rows.values()];
}

/** The "complete" column: yes, the bound that stopped it, "sampled" for random walks, "-" where nothing ran. */
function completeness(c: MatrixCell, strategy: string): string {
  if (c.complete) return "yes";
  if (c.bound) return `no (${c.bound.name})`;
  if (c.verdict === "error") return "-";
  return strategy === "random" ? "no (sampled)" : "no";
}

/**
 * The matrix as a plain-text table, one block per scenario: a row per (policy, profile), a
 * column per property, then the states explored, whether the exploration was complete, and
 * how many of the scenario's sometimes-guards were reached. Violations follow, each with its
 * symptom and the one line that reproduces it.
 */
export function renderText(m: MatrixResult, opts: { sortByCost?: boolean; color?: boolean } = {}): string {
  const paint = (mk: string) =>
    !opts.color
      ? mk
      : mk === "FAIL" || mk === "ERR"
        ? `\x1b[1;31m${mk}\x1b[0m`
        : mk === "ok"
          ? `\x1b[32m${mk}\x1b[0m`
          : mk === "UNK" || mk === "VAC"
            ? `\x1b[1;33m${mk}\x1b[0m`
            : mk;
  const out: string[] = [];
  const props = m.properties.map((p) => p.id);
  const polW = Math.max(6, ...m.policies.map((p) => p.id.length));
  const profW = Math.max(7, ...m.profiles.map((p) => p.id.length));
  const colW = props.map((p) => Math.max(shortName(p).length, 4));
  const rows = rowsOf(m);
  const explorations = rows.length;
  out.push(
    `switchlab matrix: ${m.policies.length} policies x ${m.profiles.length} profiles x ${m.scenarios.length} scenarios x ${props.length} properties (${m.cells.length} cells, ${explorations} explorations)`,
    runLine(m),
    storageLine(m),
  );
  for (const s of m.scenarios) {
    out.push("");
    out.push(`scenario ${s.id} (${s.kernel}): ${s.title}`);
    for (const a of scenarioAssumptions(m, s.id)) out.push(`  assumptions: ${a}`);
    const head = [
      pad("policy", polW),
      pad("profile", profW),
      ...props.map((p, i) => pad(shortName(p), colW[i] as number)),
      "  states",
      "complete",
      "cycles/rt",
      "writes",
      "guards",
    ];
    out.push(`  ${head.join(" ")}`);
    const cost = (r: { policy: string; profile: string; scenario: string }) =>
      m.costs.find((c) => c.policy === r.policy && c.profile === r.profile && c.scenario === r.scenario);
    const bad = (r: { cells: MatrixCell[] }) =>
      r.cells.some((c) => c.verdict !== "holds" && c.verdict !== "not-applicable");
    let block = rows.filter((x) => x.scenario === s.id);
    if (opts.sortByCost) {
      // Violation-free rows first, cheapest first; then the rest, cheapest first (stable).
      block = [...block].sort(
        (a, b) =>
          a.profile.localeCompare(b.profile) ||
          Number(bad(a)) - Number(bad(b)) ||
          (cost(a)?.cyclesPerRoundtrip ?? Number.POSITIVE_INFINITY) -
            (cost(b)?.cyclesPerRoundtrip ?? Number.POSITIVE_INFINITY),
      );
    }
    for (const r of block) {
      const by = new Map(r.cells.map((c) => [c.property, c]));
      const first = r.cells[0] as MatrixCell;
      const g = m.guards.filter((x) => x.policy === r.policy && x.profile === r.profile && x.scenario === r.scenario);
      const reached = g.filter((x) => x.reached).length;
      const line = [
        pad(r.policy, polW),
        pad(r.profile, profW),
        ...props.map((p, i) => {
          const mk = mark(by.get(p)?.verdict ?? "-");
          return paint(mk) + " ".repeat(Math.max(0, (colW[i] as number) - mk.length));
        }),
        String(first.states).padStart(8),
        pad(completeness(first, m.run.strategy.kind), 8),
        String(cost(r)?.cyclesPerRoundtrip ?? "-").padStart(9),
        String(cost(r)?.msrWritesPerRoundtrip ?? "-").padStart(6),
        g.length ? `${reached}/${g.length}` : "-",
      ];
      out.push(`  ${line.join(" ")}`);
    }
  }
  const fails = m.cells.filter(isFailure);
  out.push("");
  out.push(fails.length ? `violations (${fails.length}):` : "violations: none");
  for (const c of fails) {
    out.push(
      `  ${c.policy} / ${c.profile} / ${c.scenario} / ${c.property}: ${c.verdict === "error" ? `error: ${c.message}` : c.counterexample?.symptom}`,
    );
    if (c.counterexample)
      out.push(`    ${c.counterexample.actions.length} choices; reproduce: ${c.counterexample.reproduce}`);
  }
  const open = notProvenRows(m);
  if (open.length) {
    out.push("");
    out.push(
      `not proven (${open.reduce((a, r) => a + r.properties.length, 0)} cells; neither a pass nor a violation):`,
    );
    for (const r of open)
      out.push(
        `  ${r.policy} / ${r.profile} / ${r.scenario}: ${r.verdict} (${r.properties.length} properties): ${r.message}`,
      );
  }
  const unreached = m.guards.filter((g) => !g.reached);
  if (unreached.length) {
    out.push("");
    out.push("sometimes-guards not reached (nothing on these rows holds):");
    for (const g of unreached) out.push(`  ${g.policy} / ${g.profile} / ${g.scenario}: ${g.guard}`);
  }
  out.push("", ...matrixFrontierLines(m));
  if (m.problems.length) {
    out.push("");
    out.push("plugins skipped:");
    for (const p of m.problems) out.push(`  ${p.path}: ${p.message}`);
  }
  out.push("");
  out.push("columns:");
  for (const p of m.properties) out.push(`  ${pad(shortName(p.id), 9)} ${p.id}: ${p.title}`);
  out.push(
    "  ok = holds: complete within the assumptions, every guard reached, no interleaving violates it",
    "  FAIL = violated; UNK = unknown (a bound stopped the exploration); VAC = vacuous (a guard never reached)",
    "  n/a = not applicable; ERR = the policy failed",
  );
  return `${out.join("\n")}\n`;
}
