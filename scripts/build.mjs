#!/usr/bin/env node
// `pnpm build`: compile every package and policy (scripts/lib/build.mjs). Exits 1 when a package
// does not compile; a policy that does not compile is reported and skipped by the CLI.
import { fileURLToPath } from "node:url";
import { build, since } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const t0 = Date.now();
const r = await build(root, { log: (l) => process.stderr.write(`${l}\n`), force: process.argv.includes("--force") });
for (const e of r.errors) process.stderr.write(`${e}\n`);
for (const p of r.problems) process.stderr.write(`switchlab: policy skipped: ${p.path}: ${p.message}\n`);
if (!r.ok) {
  process.stderr.write("switchlab: the build failed (errors above)\n");
  process.exit(1);
}
process.stderr.write(r.skipped ? "switchlab: build up to date\n" : `switchlab: built in ${since(t0)} s\n`);
