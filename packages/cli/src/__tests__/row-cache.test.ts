import "reflect-metadata";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MODEL_PACKAGES, modelCodeHash, policyCodeHashes } from "../cache/code-hash.js";
import { lastStats, RowCache, relabel } from "../cache/rows.js";
import { main } from "../main.js";
import type { Task } from "../pool/messages.js";
import { longestFirst } from "../pool/run-rows.js";
import { capture } from "./capture.js";

/**
 * The cache folder the test run was given (vitest.shared.ts): each test here starts instead from
 * the cache of its own scratch root (empty), and the run's folder is restored after it.
 */
const CACHE_DIR0 = process.env.SWITCHLAB_CACHE_DIR;
delete process.env.SWITCHLAB_CACHE_DIR;
afterAll(() => {
  if (CACHE_DIR0 !== undefined) process.env.SWITCHLAB_CACHE_DIR = CACHE_DIR0;
});

/**
 * The row cache (cache/rows.ts) on a few rows, in a scratch root holding copies of four policies
 * (original; isolation-aware and post-exit-reload; isolation-aware-post-exit-reload, which
 * depends on both), so that a test can edit one policy's built code without touching the
 * repository. The cache is the scratch root's node_modules/.cache/switchlab. What is counted is
 * the cache's own statistics of the run (rows read, rows explored): no clock is read.
 */
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const POLICIES = ["original", "isolation-aware", "post-exit-reload", "isolation-aware-post-exit-reload"];
const SCENARIOS = ["throttle-window", "handoff-host-sampling"];
const ARGS = [
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
const PER_POLICY = SCENARIOS.length;

/**
 * A scratch root with copies of the policies' package.json, dist/ and src/ (never linked: a test edits
 * them), each with a node_modules of links: to the repository's packages, and to the scratch
 * copies for the policies it depends on (so what runs is what the scratch root holds).
 */
function scratch(): string {
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

async function run(root: string, extra: string[] = []): Promise<{ out: string; err: string }> {
  process.env.SWITCHLAB_ROOT = root;
  const io = capture();
  const code = await main([...ARGS, ...extra], io);
  expect(code, io.e).toBe(0);
  return { out: io.o, err: io.e };
}

/** Append a comment to a policy's built entry: an edit of its code that changes no behaviour. */
function touch(root: string, id: string): void {
  appendFileSync(join(root, "policies", id, "dist", "index.js"), `\n// edited by row-cache.test.ts\n`);
}

const rowsOf = (out: string, policy: string) =>
  JSON.stringify((JSON.parse(out) as { cells: { policy: string }[] }).cells.filter((c) => c.policy === policy));

afterEach(() => {
  delete process.env.SWITCHLAB_ROOT;
  delete process.env.SWITCHLAB_CACHE_SALT;
  delete process.env.SWITCHLAB_CACHE_DIR;
  delete process.env.SWITCHLAB_NO_CACHE;
});

describe("the row cache", () => {
  let root: string;
  let first: string;

  beforeAll(async () => {
    root = scratch();
    first = (await run(root)).out;
    expect(lastStats).toMatchObject({ hits: 0, explored: POLICIES.length * PER_POLICY });
    expect(lastStats?.stored).toBe(POLICIES.length * PER_POLICY);
    expect(existsSync(join(root, "node_modules", ".cache", "switchlab", "rows", "index.json"))).toBe(true);
  });

  it("answers a re-run with nothing changed from the cache alone, byte for byte", async () => {
    const again = await run(root);
    expect(lastStats).toMatchObject({ hits: POLICIES.length * PER_POLICY, explored: 0 });
    expect(again.out).toBe(first);
  });

  it("gives an uncached run's bytes: --no-cache and SWITCHLAB_NO_CACHE explore every row", async () => {
    expect((await run(root, ["--no-cache"])).out).toBe(first);
    expect(lastStats).toMatchObject({ hits: 0, explored: POLICIES.length * PER_POLICY });
    process.env.SWITCHLAB_NO_CACHE = "1";
    expect((await run(root)).out).toBe(first);
    expect(lastStats).toMatchObject({ hits: 0, explored: POLICIES.length * PER_POLICY });
  });

  it("re-explores every row when the model's code changes", async () => {
    process.env.SWITCHLAB_CACHE_SALT = "model=edited";
    expect((await run(root)).out).toBe(first);
    expect(lastStats).toMatchObject({ hits: 0, explored: POLICIES.length * PER_POLICY });
  });

  it("re-explores only an edited policy's rows and its dependents'", async () => {
    touch(root, "post-exit-reload");
    expect((await run(root)).out).toBe(first);
    // post-exit-reload and isolation-aware-post-exit-reload, which depends on it.
    expect(lastStats).toMatchObject({ hits: 2 * PER_POLICY, explored: 2 * PER_POLICY });
    expect((await run(root)).out).toBe(first);
    expect(lastStats).toMatchObject({ hits: POLICIES.length * PER_POLICY, explored: 0 });

    touch(root, "isolation-aware-post-exit-reload");
    expect((await run(root)).out).toBe(first);
    expect(lastStats).toMatchObject({ hits: 3 * PER_POLICY, explored: PER_POLICY });
  });

  it("degrades to no cache, with one line on stderr, when its directory cannot be written", async () => {
    const ro = join(root, "not-a-directory");
    writeFileSync(ro, "");
    process.env.SWITCHLAB_CACHE_DIR = join(ro, "cache");
    const r = await run(root);
    expect(r.out).toBe(first);
    expect(r.err).toMatch(
      /^switchlab: cannot use the cache directory .*not-a-directory\/cache \(ENOTDIR\); running without the cache\n$/,
    );
  });
});

describe("plugin discovery's cache (cache/discovery.ts)", () => {
  const listed = async (root: string): Promise<string> => {
    process.env.SWITCHLAB_ROOT = root;
    const io = capture();
    expect(await main(["list"], io), io.e).toBe(0);
    return io.o;
  };
  const stored = (root: string): string => {
    const dir = join(root, "node_modules", ".cache", "switchlab", "discovery");
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    expect(files).toHaveLength(1);
    return join(dir, files[0] as string);
  };
  /** Change the title the stored answer gives `original`: a run that shows it read the store. */
  const tamper = (root: string): void => {
    const f = stored(root);
    writeFileSync(f, readFileSync(f, "utf8").replace(/"title":"Upstream[^"]*"/, '"title":"from the store"'));
  };

  it("answers a command on unchanged plugins from the store, and discovers afresh when a plugin's code changes", async () => {
    const root = scratch();
    const first = await listed(root);
    expect(first).toContain("Upstream");
    tamper(root);
    expect(await listed(root)).toContain("from the store");
    process.env.SWITCHLAB_NO_CACHE = "1";
    expect(await listed(root)).toBe(first);
    delete process.env.SWITCHLAB_NO_CACHE;
    tamper(root);
    touch(root, "original");
    expect(await listed(root)).toBe(first);
  });

  it("never stores an answer that needed a second worker: a plugin that ends its worker is found again on every run", async () => {
    const root = scratch();
    symlinkSync(join(REPO, "fixtures", "broken-plugins", "exits-on-import"), join(root, "policies", "exits-on-import"));
    process.env.SWITCHLAB_ROOT = root;
    for (let i = 0; i < 2; i++) {
      const io = capture();
      expect(await main(["list"], io)).toBe(0);
      expect(io.e + io.o).toContain("exits-on-import");
    }
    expect(existsSync(join(root, "node_modules", ".cache", "switchlab", "discovery"))).toBe(false);
  });
});

describe("what the row cache never keeps", () => {
  it("stores no row of a plugin whose hook threw: it is explored again on every run", async () => {
    const root = scratch();
    symlinkSync(join(REPO, "fixtures", "broken-plugins", "hook-throws"), join(root, "policies", "hook-throws"));
    const args = ["--policy", "original,hook-throws"];
    const a = await run(root, args);
    expect(lastStats).toMatchObject({ hits: 0, explored: 2 * PER_POLICY, stored: PER_POLICY });
    const b = await run(root, args);
    expect(lastStats).toMatchObject({ hits: PER_POLICY, explored: PER_POLICY, stored: 0 });
    expect(rowsOf(b.out, "hook-throws")).toBe(rowsOf(a.out, "hook-throws"));
    expect(b.out).toBe(a.out);
  });
});

describe("profiles equivalent on a row", () => {
  /**
   * Sapphire Rapids and Emerald Rapids differ only in model, stepping and microcode, which no
   * exploration reads (the kernel's pebs_no_isolation, derived from them, is the same); Ice Lake
   * and Sapphire Rapids without VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL likewise. Each pair is one
   * class: the row is explored once per class, and each profile's cells, guards, costs and
   * reproduce lines are the ones a run of its own gives, byte for byte.
   */
  const PROFILES = ["icelake-server", "sapphire-rapids", "sapphire-rapids-no-save", "emerald-rapids"];
  // Rows with counterexamples on these profiles (--kernel own: one row per scenario).
  const args = ["--policy", "original,post-exit-reload", "--profile", PROFILES.join(",")];
  args.push("--scenario", "handoff-guest-counter,two-counters-one-nmi");

  it("explores a row once per class of profiles, and reports each profile as its own run would", async () => {
    const root = scratch();
    const own = await run(root, [...args, "--no-cache"]);
    const rows = 2 * PROFILES.length * 2;
    expect(lastStats).toMatchObject({ hits: 0, shared: 0, explored: rows });
    // Every profile's row was stored under its own profile: a fresh cache to see the sharing.
    process.env.SWITCHLAB_CACHE_DIR = mkdtempSync(join(tmpdir(), "switchlab-cache-dir-"));
    const shared = await run(root, args);
    expect(lastStats).toMatchObject({ hits: 0, shared: rows / 2, explored: rows / 2 });
    expect(shared.out).toBe(own.out);
    const m = JSON.parse(shared.out) as { cells: { profile: string; counterexample?: { reproduce: string } }[] };
    const reproduce = m.cells.flatMap((c) => (c.counterexample ? [[c.profile, c.counterexample.reproduce]] : []));
    expect(new Set(reproduce.map(([p]) => p))).toEqual(new Set(PROFILES));
    for (const [p, line] of reproduce) expect(line).toContain(` --profile ${p} `);
    // And the next run reads every row, whichever profile explored it.
    expect((await run(root, args)).out).toBe(own.out);
    expect(lastStats).toMatchObject({ hits: rows, shared: 0, explored: 0 });
  });

  it("relabels a row only where the profile's id is: anywhere else, the row is explored", () => {
    const cell = {
      policy: "original",
      profile: "cpu-a",
      scenario: "s",
      property: "p",
      verdict: "violated",
      counterexample: { reproduce: "pnpm switchlab check --policy original --profile cpu-a --scenario s --property p" },
    };
    const r = { ordinal: 0, cells: [cell], guards: [{ policy: "original", profile: "cpu-a" }], states: 1 } as never;
    const out = relabel(r, "cpu-a", "cpu-a-2") as unknown as { cells: (typeof cell)[]; guards: { profile: string }[] };
    expect(out.cells[0]?.profile).toBe("cpu-a-2");
    expect(out.cells[0]?.counterexample.reproduce).toContain(" --profile cpu-a-2 --scenario");
    expect(out.guards[0]?.profile).toBe("cpu-a-2");
    const named = { ...cell, message: "seen on cpu-a only" };
    expect(relabel({ ordinal: 0, cells: [named], guards: [], states: 1 } as never, "cpu-a", "cpu-b")).toBeUndefined();
  });
});

describe("the code hashes", () => {
  it("change with a model package's built JavaScript, not with its declarations", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchlab-model-hash-"));
    for (const p of MODEL_PACKAGES) {
      mkdirSync(join(dir, p), { recursive: true });
      cpSync(join(REPO, "packages", p, "package.json"), join(dir, p, "package.json"));
      cpSync(join(REPO, "packages", p, "dist"), join(dir, p, "dist"), { recursive: true });
      const nm = join(REPO, "packages", p, "node_modules");
      if (existsSync(nm)) symlinkSync(realpathSync(nm), join(dir, p, "node_modules"));
    }
    const h0 = modelCodeHash(dir);
    expect(modelCodeHash(dir)).toBe(h0);
    appendFileSync(join(dir, "model", "dist", "index.d.ts"), "\n// a declaration\n");
    expect(modelCodeHash(dir)).toBe(h0);
    appendFileSync(join(dir, "kvm", "dist", "index.js"), "\n// code\n");
    const h1 = modelCodeHash(dir);
    expect(h1).not.toBe(h0);
    expect(modelCodeHash(dir, new Map([["model", "x"]]))).not.toBe(h1);
  });

  it("cover a policy's dependencies, and a dependency's edit reaches its dependents only", () => {
    const root = scratch();
    const before = policyCodeHashes(root, POLICIES);
    expect([...before.keys()]).toEqual(POLICIES);
    touch(root, "isolation-aware");
    const after = policyCodeHashes(root, POLICIES);
    const changed = POLICIES.filter((id) => before.get(id) !== after.get(id));
    expect(changed).toEqual(["isolation-aware", "isolation-aware-post-exit-reload"]);
    // expected.json and sources are not code that runs.
    writeFileSync(join(root, "policies", "original", "expected.json"), "{}");
    expect(policyCodeHashes(root, ["original"]).get("original")).toBe(after.get("original"));
  });
});

describe("the cache's size cap", () => {
  it("evicts the least recently used entries first, in matrix order, whatever order rows finished in", () => {
    const root = scratch();
    const dir = join(root, "cache");
    const profile = { id: "p" } as unknown as Task["profile"];
    const task = (ordinal: number): Task => ({
      kind: "matrix",
      ordinal,
      policy: "original",
      profile,
      scenario: { id: `s${ordinal}` } as unknown as Task["scenario"],
      bounds: { maxDepth: 1, maxStates: 1, timeLimitMs: 0 },
      strategy: { kind: "bfs" },
      exact: false,
      costTable: {} as Task extends { costTable: infer C } ? C : never,
    });
    const result = (ordinal: number) => ({ ordinal, cells: [], guards: [], states: 100 + ordinal });
    const open = (maxBytes: number) => {
      const c = RowCache.open({ dir, root, read: true, maxBytes, warn: (l) => expect.fail(l), modelHash: "m" });
      if (!c) throw new Error("no cache");
      return c;
    };
    const a = open(1e9);
    for (const o of [2, 0, 1]) a.put(task(o), result(o));
    a.close();
    const index = JSON.parse(readFileSync(join(dir, "rows", "index.json"), "utf8")) as {
      entries: Record<string, { seq: number; bytes: number }>;
    };
    const sizes = Object.values(index.entries).map((e) => e.bytes);
    expect(sizes).toHaveLength(3);
    // Row 0 used again: rows 1 then 2 are now the oldest; a cap of two entries evicts row 1.
    const b = open(1e9);
    expect(b.get(task(0))).toEqual(result(0));
    b.close();
    const c = open(Math.max(...sizes) * 2);
    c.close();
    expect(c.stats.evicted).toBe(1);
    const d = open(1e9);
    expect([0, 1, 2].map((o) => d.get(task(o)) !== undefined)).toEqual([true, false, true]);
    // And the costs of the rows, for scheduling: the longest first, a row never run before them all.
    expect(d.costOf(task(2))).toBe(102);
    expect(longestFirst([0, 1, 2, 7].map(task), d).map((t) => t.ordinal)).toEqual([7, 2, 1, 0]);
    expect(longestFirst([0, 1, 2].map(task), undefined).map((t) => t.ordinal)).toEqual([0, 1, 2]);
  });
});
