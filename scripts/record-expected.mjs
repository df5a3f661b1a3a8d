#!/usr/bin/env node
// Record policies/<id>/expected.json from a real matrix run (all profiles and scenarios), and
// refresh the "What the matrix shows" section of policies/<id>/README.md from the same run.
// Usage: pnpm record-expected [policy-id ...]   (default: every policy)
// Run it after a deliberate model change, and review the diff: every changed verdict or state
// count is a change in semantics.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!(await build(root, { log: (l) => process.stderr.write(`${l}\n`) })).ok) process.exit(2);
const { runMatrix, expectedOf } = await import("../packages/conformance/dist/index.js");
const { builtinProfiles } = await import("../packages/hardware/dist/index.js");
const { discoverPolicies } = await import("../packages/policy-api/dist/index.js");
const { renderPolicySummary } = await import("../packages/report/dist/index.js");
const { existsSync, readFileSync, renameSync } = await import("node:fs");
const { policies, problems } = await discoverPolicies(root);
for (const p of problems) console.error(`skipped ${p.path}: ${p.message}`);
const want = process.argv.slice(2);
const unknown = want.filter((id) => !policies.some((p) => p.id === id));
if (unknown.length) {
  console.error(
    `record-expected: unknown policy '${unknown[0]}'; valid policies: ${policies.map((p) => p.id).join(", ")}`,
  );
  process.exit(2);
}
for (const policy of policies.filter((p) => !want.length || want.includes(p.id))) {
  const m = runMatrix({ policies: [policy], profiles: builtinProfiles() });
  const file = `${root}policies/${policy.id}/expected.json`;
  writeFileSync(`${file}.tmp`, `${JSON.stringify(expectedOf(m, policy.id), null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`wrote ${file}`);
  const readme = `${root}policies/${policy.id}/README.md`;
  if (existsSync(readme)) {
    const text = readFileSync(readme, "utf8");
    const start = text.indexOf("## What the matrix shows\n");
    const end = text.indexOf("\n## ", start + 5);
    if (start >= 0 && end > start) {
      const next = `${text.slice(0, start)}## What the matrix shows\n\n${renderPolicySummary(m, policy.id)}\n${text.slice(end)}`;
      writeFileSync(`${readme}.tmp`, next);
      renameSync(`${readme}.tmp`, readme);
      console.log(`updated ${readme}`);
    }
  }
}
