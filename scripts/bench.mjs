#!/usr/bin/env node
// `pnpm bench`: explorer throughput and matrix time, printed as figures (not a test).
// Runs on one core (Node's main thread). Figures vary with the machine's load: compare ratios
// measured in the same run, not absolute numbers across runs.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!process.env.SWITCHLAB_NO_BUILD && !(await build(root, { log: (l) => process.stderr.write(`${l}\n`) })).ok)
  process.exit(2);
if (typeof globalThis.gc !== "function") {
  // Re-run with --expose-gc so heap figures are taken after a collection.
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url)], {
    stdio: "inherit",
    env: { ...process.env, SWITCHLAB_NO_BUILD: "1" },
  });
  process.exit(r.status ?? 1);
}
const { bfs, DEFAULT_BOUNDS } = await import("../packages/explorer/dist/index.js");
const { runMatrix, PROPERTIES, SCENARIOS, worldModel } = await import("../packages/conformance/dist/index.js");
const { buildCell, createRootContainer } = await import("../packages/model/dist/index.js");
const { builtinProfiles } = await import("../packages/hardware/dist/index.js");
const { discoverPolicies } = await import("../packages/policy-api/dist/index.js");

const { policies } = await discoverPolicies(root);
const original = policies.find((p) => p.id === "original");
const skylake = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation");
const fmt = (n) => Math.round(n).toLocaleString("en-US");

// 1. Throughput on a large space: the guest-counter hand-off with looser budgets.
const base = SCENARIOS.find((s) => s.id === "handoff-guest-counter");
const big = {
  ...base,
  id: "bench-large",
  nmiBudget: 3,
  overflows: { counters: [0], budget: 5, perEvent: 3 },
  tickBudget: 2,
  maxRoundTrips: 6,
};
const cell = buildCell(createRootContainer(), original, skylake, big);
const props = PROPERTIES.filter((p) => !p.applies || p.applies(cell)).map((p) => p.toExplorer(cell));
// Warm the JIT on the default scenario first; the figures below are for the second, larger run.
const warm = buildCell(createRootContainer(), original, skylake, base);
bfs(
  worldModel(warm),
  PROPERTIES.map((p) => p.toExplorer(warm)),
  DEFAULT_BOUNDS,
);
globalThis.gc();
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const r = bfs(worldModel(cell), props, DEFAULT_BOUNDS);
const t1 = performance.now();
const heapAfter = process.memoryUsage().heapUsed;
const secs = (t1 - t0) / 1000;
console.log(
  "explorer (BFS, one core, after one warm-up run), scenario bench-large on skylake-server-no-isolation under original:",
);
console.log(`  distinct states            ${fmt(r.states)} (complete: ${r.complete})`);
console.log(`  transitions                ${fmt(r.transitions)}`);
console.log(`  distinct states per second ${fmt(r.states / secs)}`);
console.log(`  transitions per second     ${fmt(r.transitions / secs)}`);
console.log(
  `  bytes per visited state    ${(r.indexBytes / r.states).toFixed(1)} (visited set + search tree kept after the run)`,
);
console.log(
  `  heap after run per state   ${((heapAfter - heap0) / r.states).toFixed(1)} (before GC of the frontier; includes transient states)`,
);

// 2. Time to the first counterexample of the 2021 race (the guest page fault at DS_AREA + 0x38).
const hand = buildCell(createRootContainer(), original, skylake, base);
const pf = PROPERTIES.find((p) => p.id === "no-guest-pf-on-host-ds").toExplorer(hand);
let first;
const t2 = performance.now();
const r2 = bfs(worldModel(hand), [pf], DEFAULT_BOUNDS, { onFound: () => (first ??= performance.now()) });
const t3 = performance.now();
console.log(
  "time to the first counterexample (no-guest-pf-on-host-ds, handoff-guest-counter, skylake-server-no-isolation):",
);
console.log(
  `  ${((first ?? t3) - t2).toFixed(1)} ms to find it; ${(t3 - t2).toFixed(1)} ms to finish the ${fmt(r2.states)}-state space; ${r2.properties[0].counterexample?.length} choices`,
);

// 3. The default matrix: every policy x profile x scenario.
const t4 = performance.now();
const m = runMatrix({ policies, profiles: builtinProfiles() });
const t5 = performance.now();
const explorations = new Set(m.cells.map((c) => `${c.policy}/${c.profile}/${c.scenario}`)).size;
console.log("default matrix:");
console.log(
  `  ${policies.length} policies x ${m.profiles.length} profiles x ${m.scenarios.length} scenarios = ${explorations} explorations, ${m.cells.length} cells`,
);
console.log(`  wall time ${((t5 - t4) / 1000).toFixed(2)} s`);
