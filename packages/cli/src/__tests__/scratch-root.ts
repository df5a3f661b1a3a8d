import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

/**
 * Call at the top of a test file: the cache folder the test run was given (vitest.shared.ts) is
 * put aside, so that each test starts from the cache of its own scratch root (empty), and restored
 * after the file; the variables a test sets are removed after each test. (A function, not hooks
 * at import: test files share this module's one evaluation.)
 */
export function useScratchRoots(): void {
  const dir0 = process.env.SWITCHLAB_CACHE_DIR;
  beforeAll(() => {
    delete process.env.SWITCHLAB_CACHE_DIR;
  });
  afterEach(() => {
    delete process.env.SWITCHLAB_ROOT;
    delete process.env.SWITCHLAB_CACHE_SALT;
    delete process.env.SWITCHLAB_CACHE_DIR;
    delete process.env.SWITCHLAB_NO_CACHE;
  });
  afterAll(() => {
    if (dir0 !== undefined) process.env.SWITCHLAB_CACHE_DIR = dir0;
  });
}

/**
 * The row cache (cache/rows.ts) on a few rows, in a scratch root holding copies of four policies
 * (original; isolation-aware and post-exit-reload; isolation-aware-post-exit-reload, which
 * depends on both), so that a test can edit one policy's built code without touching the
 * repository. The cache is the scratch root's node_modules/.cache/switchlab. What is counted is
 * the cache's own statistics of the run (rows read, rows explored): no clock is read.
 */
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
export const POLICIES = ["original", "isolation-aware", "post-exit-reload", "isolation-aware-post-exit-reload"];
export const SCENARIOS = ["throttle-window", "handoff-host-sampling"];
export const ARGS = [
  "matrix",
  "--policy",
  POLICIES.join(","),
  "--profile",
  "skylake-server-no-isolation",
  "--scenario",
  SCENARIOS.join(","),
  "--kernel",
  "own",
  "--format",
  "json",
  "--quiet",
  "--jobs",
  "1",
  "--row-timeout",
  "0",
];
/** Rows per policy in ARGS. */
export const PER_POLICY = SCENARIOS.length;

/**
 * A scratch root with copies of the policies' package.json, dist/ and src/ (never linked: a test edits
 * them), each with a node_modules of links: to the repository's packages, and to the scratch
 * copies for the policies it depends on (so what runs is what the scratch root holds).
 */
export function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), "switchlab-cache-"));
  for (const id of POLICIES) {
    const from = join(REPO, "policies", id);
    const to = join(root, "policies", id);
    mkdirSync(join(to, "node_modules"), { recursive: true });
    cpSync(join(from, "package.json"), join(to, "package.json"));
    cpSync(join(from, "dist"), join(to, "dist"), { recursive: true });
    // Sources too: under vitest, discovery imports a dependency through its source export.
    cpSync(join(from, "src"), join(to, "src"), { recursive: true });
    for (const e of readdirSync(join(from, "node_modules"))) {
      if (e === "@switchlab") {
        mkdirSync(join(to, "node_modules", e));
        for (const s of readdirSync(join(from, "node_modules", e))) {
          const dep = s.startsWith("policy-") && s !== "policy-api" ? s.slice("policy-".length) : undefined;
          const target = dep ? join(root, "policies", dep) : realpathSync(join(from, "node_modules", e, s));
          symlinkSync(target, join(to, "node_modules", e, s));
        }
      } else if (!e.startsWith("."))
        symlinkSync(realpathSync(join(from, "node_modules", e)), join(to, "node_modules", e));
    }
  }
  return root;
}

export async function run(
  root: string,
  extra: string[] = [],
  /** Keep progress and the cache's line on stderr (ARGS has --quiet). */
  loud = false,
): Promise<{ out: string; err: string }> {
  process.env.SWITCHLAB_ROOT = root;
  const io = capture();
  const code = await main([...ARGS.filter((a) => !loud || a !== "--quiet"), ...extra], io);
  expect(code, io.e).toBe(0);
  return { out: io.o, err: io.e };
}

/** Append a comment to a policy's built entry: an edit of its code that changes no behaviour. */
export function touch(root: string, id: string): void {
  appendFileSync(join(root, "policies", id, "dist", "index.js"), `\n// edited by a row-cache test\n`);
}

export const rowsOf = (out: string, policy: string) =>
  JSON.stringify((JSON.parse(out) as { cells: { policy: string }[] }).cells.filter((c) => c.policy === policy));
