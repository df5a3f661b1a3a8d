#!/usr/bin/env node
// The README's candidate table per kernel version, from one in-thread run of the default matrix:
// for each policy and kernel (rows at that version), violated cells on the CPU without PEBS
// isolation and on the isolated CPUs, and cycles / MSR writes of one steady-state round trip on
// Emerald Rapids. Usage: node scripts/candidate-table.mjs (after pnpm build).

import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { runMatrix, SCENARIO_ROWS, KERNEL_VERSIONS } = await import("../packages/conformance/dist/index.js");
const { builtinProfiles } = await import("../packages/hardware/dist/index.js");
const { discoverPolicies } = await import("../packages/policy-api/dist/index.js");
const { policies } = await discoverPolicies(root);
const profiles = builtinProfiles();
const m = runMatrix({ policies, profiles, scenarios: SCENARIO_ROWS });
const kernelOf = new Map(m.scenarios.map((s) => [s.id, s.kernel]));
const mediated = new Set(SCENARIO_ROWS.filter((s) => s.kvm?.enableMediatedPmu).map((s) => s.id));
const cost = (p, sc) => {
  const c = m.costs.find((x) => x.policy === p && x.profile === "emerald-rapids" && x.scenario === sc);
  return c ? `${c.cyclesPerRoundtrip} / ${c.msrWritesPerRoundtrip}` : "-";
};
console.log(
  "| policy | kernel | rows | violated, no isolation | violated, isolated (SKL-ucode / ICL / SPR / SPR-no-save / EMR) | EMR host PEBS | EMR guest PEBS |",
);
console.log("|---|---|---:|---:|---|---|---|");
for (const p of m.policies)
  for (const k of KERNEL_VERSIONS) {
    const cells = m.cells.filter(
      (c) => c.policy === p.id && kernelOf.get(c.scenario) === k && !mediated.has(c.scenario),
    );
    if (!cells.length) continue;
    const rows = new Set(cells.map((c) => c.scenario)).size;
    const v = (prof) => cells.filter((c) => c.profile === prof && c.verdict === "violated").length;
    const iso = profiles
      .filter((x) => !x.pebsNoIsolation)
      .map((x) => v(x.id))
      .join(" / ");
    const hp = k === "v5.11" ? "-" : cost(p.id, k === "v7.3" ? "host-pebs-v616@v7.3" : "host-pebs-v616");
    const gp = k === "v5.11" ? "-" : cost(p.id, k === "v7.3" ? "guest-pebs@v7.3" : "guest-pebs");
    console.log(`| ${p.id} | ${k} | ${rows} | ${v("skylake-server-no-isolation")} | ${iso} | ${hp} | ${gp} |`);
  }
const med = m.cells.filter((c) => mediated.has(c.scenario));
console.log("");
console.log("| policy | mediated rows violated (every profile) | properties violated |");
console.log("|---|---:|---|");
for (const p of m.policies) {
  const cs = med.filter((c) => c.policy === p.id && c.verdict === "violated");
  console.log(`| ${p.id} | ${cs.length} | ${[...new Set(cs.map((c) => c.property))].join(", ")} |`);
}
