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
import { beforeAll, describe, expect, it } from "vitest";
import { MODEL_PACKAGES, modelCodeHash, policyCodeHashes } from "../cache/code-hash.js";
import { lastStats, RowCache } from "../cache/rows.js";
import type { Task } from "../pool/messages.js";
import { longestFirst } from "../pool/run-rows.js";
import { PER_POLICY, POLICIES, REPO, rowsOf, run, scratch, touch, useScratchRoots } from "./scratch-root.js";

/** The row cache (cache/rows.ts) in scratch roots (scratch-root.ts); profile classes and discovery have their own files. */
useScratchRoots();

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
    const again = await run(root, [], true);
    expect(lastStats).toMatchObject({ hits: POLICIES.length * PER_POLICY, explored: 0 });
    expect(again.out).toBe(first);
    // Off a terminal, progress has a line per explored row only (progress.ts): here none, and
    // the cache's line counts the rows.
    expect(again.err).not.toMatch(/^\[\d+\/\d+\]/m);
    expect(again.err).toContain(`${POLICIES.length * PER_POLICY} rows from the cache, 0 explored`);
  });

  it("explores a damaged entry's row again and rewrites it", async () => {
    const rows = join(root, "node_modules", ".cache", "switchlab", "rows");
    const entries = readdirSync(rows).filter((n) => n.endsWith(".json.gz"));
    expect(entries.length).toBe(POLICIES.length * PER_POLICY);
    writeFileSync(join(rows, entries[0]!), "not gzip");
    const again = await run(root, [], true);
    expect(again.out).toBe(first);
    expect(lastStats).toMatchObject({ hits: POLICIES.length * PER_POLICY - 1, explored: 1, stored: 1 });
    expect(again.err.match(/^\[\d+\/\d+\] .*$/gm)).toHaveLength(1);
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
    expect(b.entry(task(0))?.result).toEqual(result(0));
    b.close();
    const c = open(Math.max(...sizes) * 2);
    c.close();
    expect(c.stats.evicted).toBe(1);
    const d = open(1e9);
    expect([0, 1, 2].map((o) => d.entry(task(o)) !== undefined)).toEqual([true, false, true]);
    // And the costs of the rows, for scheduling: the longest first, a row never run before them all.
    expect(d.costOf(task(2))).toBe(102);
    expect(longestFirst([0, 1, 2, 7].map(task), d).map((t) => t.ordinal)).toEqual([7, 2, 1, 0]);
    expect(longestFirst([0, 1, 2].map(task), undefined).map((t) => t.ordinal)).toEqual([0, 1, 2]);
  });
});

describe("an entry read for equivalent profiles", () => {
  it("gives each profile its own ids, and never serves an entry that names its profile elsewhere", () => {
    const root = scratch();
    const dir = join(root, "cache");
    const profile = (id: string) => ({ id, pmuVersion: 5 }) as unknown as Task["profile"];
    const task = (ordinal: number, id: string, scenario: string): Task => ({
      kind: "matrix",
      ordinal,
      policy: "original",
      profile: profile(id),
      scenario: { id: scenario } as unknown as Task["scenario"],
      bounds: { maxDepth: 1, maxStates: 1, timeLimitMs: 0 },
      strategy: { kind: "bfs" },
      exact: false,
      costTable: {} as Task extends { costTable: infer C } ? C : never,
    });
    const cell = (id: string, scenario: string, message?: string) => ({
      policy: "original",
      profile: id,
      scenario,
      property: "p",
      verdict: "holds",
      ...(message ? { message } : {}),
    });
    const c = RowCache.open({ dir, root, read: true, warn: (l) => expect.fail(l), modelHash: "m" });
    if (!c) throw new Error("no cache");
    // Stored from cpu-a, keyed by the one field its exploration read: cpu-b and cpu-c are its equivalents.
    c.put(task(0, "cpu-a", "clean"), { ordinal: 0, cells: [cell("cpu-a", "clean")], guards: [], states: 1 } as never, [
      "pmuVersion",
    ]);
    const named = cell("cpu-a", "named", "seen on cpu-a only");
    c.put(task(1, "cpu-a", "named"), { ordinal: 1, cells: [named], guards: [], states: 1 } as never, ["pmuVersion"]);
    // Read three times (the second and third skip the search for the id, which the first did).
    for (const [o, id] of [
      [2, "cpu-b"],
      [3, "cpu-c"],
      [4, "cpu-a"],
    ] as const) {
      const e = c.entry(task(o, id, "clean"));
      expect(JSON.stringify(e?.result)).toBe(
        JSON.stringify({ cells: [cell(id, "clean")], guards: [], states: 1, ordinal: o }),
      );
    }
    // An entry whose text names cpu-a beyond its labels is no other profile's, however often it is asked.
    for (const [o, id] of [
      [5, "cpu-b"],
      [6, "cpu-c"],
    ] as const)
      expect(c.entry(task(o, id, "named"))).toBeUndefined();
    expect(c.entry(task(7, "cpu-a", "named"))?.result.cells).toEqual([named]);
  });
});

describe("a row's group (the key but the profile)", () => {
  it("is the same for equal inputs however their objects are built or shared, and changes with any nested field", () => {
    const root = scratch();
    const c = RowCache.open({
      dir: join(root, "cache"),
      root,
      read: true,
      warn: (l) => expect.fail(l),
      modelHash: "m",
    });
    if (!c) throw new Error("no cache");
    const task = (ordinal: number, scenario: object): Task => ({
      kind: "matrix",
      ordinal,
      policy: "original",
      profile: { id: "p" } as unknown as Task["profile"],
      scenario: scenario as Task["scenario"],
      bounds: { maxDepth: 1, maxStates: 1, timeLimitMs: 0 },
      strategy: { kind: "bfs" },
      exact: false,
      costTable: {} as Task extends { costTable: infer C } ? C : never,
    });
    // Tasks share their scenario object; its text is made once and must be what a copy gives.
    const scenario = { id: "s", overflows: { counters: [0], budget: 2 } };
    const group = c.groupOf(task(0, scenario));
    expect(group).toMatch(/^[0-9a-f]{64}$/);
    expect(c.groupOf(task(1, scenario))).toBe(group);
    expect(c.groupOf(task(2, { overflows: { budget: 2, counters: [0] }, id: "s" }))).toBe(group);
    expect(c.groupOf(task(3, { id: "s", overflows: { counters: [0], budget: 3 } }))).not.toBe(group);
    expect(c.groupOf(task(4, { id: "s", overflows: { counters: [1], budget: 2 } }))).not.toBe(group);
    expect(c.groupOf({ ...task(5, scenario), exact: true })).not.toBe(group);
  });
});
