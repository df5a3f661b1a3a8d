#!/usr/bin/env node
// `pnpm test:matrix`, the matrix tier: compute the default matrix once through the CLI (its
// worker pool shards the explorations over every core) into artifacts/matrix.json, once more
// with one worker (from an empty row cache: equivalent profiles explored once, rows that change
// nothing original's reached answered from original's) into
// artifacts/matrix.jobs1.json, once more with the explorer's compressed chains (--chains) into
// artifacts/matrix.chains.json, once more with every dead value kept (--keep-dead-values) into
// artifacts/matrix.keep-dead.json, then run the tests that read them
// (packages/cli/src/__matrix__: every policy's expected.json, determinism, report sizes, the
// docs' generated tables, new-policy's whole-matrix scaffold). No test here explores the whole
// matrix itself, and none reads a clock. `--reuse` keeps artifacts that are already there.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const reuse = process.argv.includes("--reuse");
const say = (l) => process.stderr.write(`test:matrix: ${l}\n`);

const b = await build(root, { log: (l) => process.stderr.write(`${l}\n`) });
if (!b.ok) {
  for (const e of b.errors) process.stderr.write(`${e}\n`);
  process.exit(1);
}
mkdirSync(`${root}artifacts`, { recursive: true });

function matrix(out, jobs, cacheDir, extra = []) {
  if (reuse && existsSync(out)) return say(`reusing ${out}`);
  say(`computing the default matrix into ${out}${jobs ? ` (--jobs ${jobs})` : ""}`);
  const args = ["--max-semi-space-size=64", `${root}packages/cli/dist/bin.js`, "matrix", "--format", "json"];
  args.push("--quiet", "--out", out, ...(jobs ? ["--jobs", String(jobs)] : []), ...extra);
  // The first run explores every row (--no-cache: the tier tests what the explorations compute
  // now, not what a cache kept). The second starts from an empty cache of its own: each row is
  // explored once per class of equivalent profiles and the other profiles answered from it, and a
  // policy's row that changes nothing original's row reached is original's (docs/scaling.md), so
  // the determinism test compares that with the first run's every-row exploration.
  if (!cacheDir) args.push("--no-cache");
  const env = cacheDir ? { ...process.env, SWITCHLAB_CACHE_DIR: cacheDir } : process.env;
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  if (r.status !== 0) {
    say(`the matrix run exited ${r.status ?? r.signal}`);
    process.exit(1);
  }
}
matrix(`${root}artifacts/matrix.json`);
matrix(`${root}artifacts/matrix.jobs1.json`, 1, mkdtempSync(join(tmpdir(), "switchlab-test-matrix-cache-")));
// Compressed chains (fewer states stored): the same answers (packages/cli/src/__matrix__/
// reductions.test.ts). From an empty cache of its own, so each row is explored once per class of
// equivalent profiles; the first two runs already compare every-row exploration with the shared one.
matrix(`${root}artifacts/matrix.chains.json`, 0, mkdtempSync(join(tmpdir(), "switchlab-test-matrix-cache-")), [
  "--chains",
]);
// Every value kept (--keep-dead-values: last_nmi_rip stored where nothing reads it, more states):
// the answers of the default run, which forgets it (reductions.test.ts).
matrix(`${root}artifacts/matrix.keep-dead.json`, 0, mkdtempSync(join(tmpdir(), "switchlab-test-matrix-cache-")), [
  "--keep-dead-values",
]);

const t = spawnSync(
  process.execPath,
  [`${root}node_modules/vitest/vitest.mjs`, "run", "--config", "vitest.matrix.config.ts"],
  { cwd: `${root}packages/cli`, stdio: "inherit", env: { ...process.env, SWITCHLAB_NO_BUILD: "1" } },
);
process.exit(t.status ?? 1);
