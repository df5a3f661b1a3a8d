import { type CostRow, DEFAULT_COST_TABLE, measureCost } from "@switchlab/conformance";
import { createRootContainer, scenarioNotApplicable } from "@switchlab/model";
import { loadCatalogWith } from "../catalog.js";
import { loadCostTable } from "../cost-file.js";
import type { Io } from "../io.js";
import { oneOf, selectIds, selectScenarios, type Values } from "../options.js";

export const EXIT_KINDS = ["scenario", "fastpath", "slow"] as const;

/**
 * `switchlab costs`: the MSR traffic of one steady-state VM round trip per (policy, profile,
 * scenario row), measured from the hardware ledger as the matrix's cycles/rt column is, with
 * every MSR named. `--exit slow` makes each round trip a whole vcpu_enter_guest (for the
 * mediated vPMU: kvm_mediated_pmu_put and _load included); `--exit fastpath` stays in the
 * fastpath loop; the default takes the scenario's first exit kind, as the matrix does.
 */
export async function costsCommand(v: Values, _args: string[], io: Io): Promise<number> {
  const catalog = await loadCatalogWith(v.profileFile as string | undefined);
  const policies = selectIds("policy", catalog.policies, (v.policy as string | undefined) ?? "original");
  const profiles = selectIds("profile", catalog.profiles, v.profile as string | undefined);
  const scenarios = selectScenarios(catalog, v);
  const exit = oneOf("--exit", v.exit as string | undefined, EXIT_KINDS);
  const table = v.costs ? await loadCostTable(v.costs as string) : DEFAULT_COST_TABLE;
  const root = createRootContainer();
  const rows: (CostRow & { exit: string })[] = [];
  for (const policy of policies)
    for (const profile of profiles)
      for (const sc of scenarios) {
        if (scenarioNotApplicable(sc, profile)) continue;
        const kind: "fastpath" | "slow" =
          exit === "scenario" ? (sc.exits.includes("fastpath") ? "fastpath" : "slow") : (exit as "fastpath" | "slow");
        if (!sc.exits.includes(kind)) continue;
        rows.push({ ...measureCost(root, policy, profile, sc, table, kind), exit: kind });
      }
  io.out(
    `switchlab costs: one steady-state round trip each, from the hardware ledger; cycles are estimates from the cost table (${v.costs ? String(v.costs) : "built-in"}: base ${table.cycles.baseRoundTrip}, WRMSR ${table.cycles.wrmsr}, list load ${table.cycles.entryLoad}/${table.cycles.exitLoad}, field load ${table.cycles.fieldLoad})\n`,
  );
  const w = (xs: string[]) => Math.max(...xs.map((x) => x.length));
  const pw = w(rows.map((r) => r.policy).concat("policy"));
  const hw = w(rows.map((r) => r.profile).concat("profile"));
  const sw = w(rows.map((r) => r.scenario).concat("scenario"));
  io.out(
    `${"policy".padEnd(pw)} ${"profile".padEnd(hw)} ${"scenario".padEnd(sw)} exit     cycles writes wrmsr entry exit field  by MSR\n`,
  );
  for (const r of rows)
    io.out(
      `${r.policy.padEnd(pw)} ${r.profile.padEnd(hw)} ${r.scenario.padEnd(sw)} ${r.exit.padEnd(8)} ${String(r.cyclesPerRoundtrip).padStart(6)} ${String(r.msrWritesPerRoundtrip).padStart(6)} ${String(r.wrmsr).padStart(5)} ${String(r.entryLoads).padStart(5)} ${String(r.exitLoads).padStart(4)} ${String(r.fieldLoads).padStart(5)}  ${Object.entries(
        r.byMsr,
      )
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}\n`,
    );
  if (!rows.length) io.out("(no row: no selected scenario has that exit kind on these profiles)\n");
  return 0;
}
