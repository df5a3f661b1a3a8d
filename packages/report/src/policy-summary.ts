import type { MatrixResult } from "@switchlab/conformance";
import { shortName } from "./short-names.js";

/**
 * What the matrix shows for one policy, as Markdown for its README: a row per scenario, a
 * column per profile, each cell the properties violated there (or "ok"), then the cycles of a
 * steady-state round trip and the MSR writes behind them.
 */
export function renderPolicySummary(m: MatrixResult, policy: string): string {
  const out: string[] = [];
  out.push(
    `From a real run: \`pnpm switchlab matrix --policy ${policy}\` (every profile and scenario, default assumptions).`,
  );
  out.push("");
  out.push(`| scenario | ${m.profiles.map((p) => p.id).join(" | ")} |`);
  out.push(`|---|${m.profiles.map(() => "---").join("|")}|`);
  for (const s of m.scenarios) {
    const row = m.profiles.map((p) => {
      const cells = m.cells.filter((c) => c.policy === policy && c.profile === p.id && c.scenario === s.id);
      const bad = cells
        .filter((c) => c.verdict === "violated" || c.verdict === "error")
        .map((c) => `${shortName(c.property)}${c.verdict === "error" ? " (error)" : ""}`);
      const cost = m.costs.find((c) => c.policy === policy && c.profile === p.id && c.scenario === s.id);
      const open = cells.filter((c) => c.verdict === "unknown" || c.verdict === "vacuous");
      const verdict = bad.length
        ? `FAIL: ${bad.join(", ")}`
        : cells.length && cells.every((c) => c.verdict === "not-applicable")
          ? "n/a"
          : open.length
            ? `${(open[0] as (typeof open)[number]).verdict.toUpperCase()}: ${open.map((c) => shortName(c.property)).join(", ")}`
            : "ok";
      return cost ? `${verdict}; ${cost.cyclesPerRoundtrip} cyc, ${cost.msrWritesPerRoundtrip} writes` : verdict;
    });
    out.push(`| ${s.id} | ${row.join(" | ")} |`);
  }
  out.push("");
  out.push(
    "Columns of FAIL: guest-pf = guest #PF at DS_AREA + 0x38, unk-nmi = unknown NMI, fresh = PEBS_ENABLE differs from cpuc->pebs_enabled after an exit, stale = a stale bit outlives the bound, pebs+int = a counter with both PEBS and INT, in-guest = host PEBS live in the guest, lists = an MSR left unswitched, msrs = another perf MSR stale after an exit (GLOBAL_CTRL, DS_AREA, PEBS_DATA_CFG), vm-dead = KVM_BUG_ON killed the VM (v7.3), m-host / m-guest / m-state / m-gpmi / m-hpmi / m-clean = the mediated vPMU's properties. UNKNOWN: a bound stopped the exploration; VACUOUS: a guard of the scenario was never reached; neither is a pass. Cycles are estimates from the cost table (packages/conformance/src/costs/cost-table.ts).",
  );
  return out.join("\n");
}
