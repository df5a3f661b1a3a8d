import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { type FrontierRowResult, type JobResult, rowKey, TOOL } from "@switchlab/conformance";
import type { ReachData } from "@switchlab/model";
import type { Task } from "../pool/messages.js";
import { modelCodeHash, policyCodeHashes, saltsFrom } from "./code-hash.js";
import { relabel } from "./relabel.js";

/**
 * The row cache: each row's result (a matrix row's JobResult, a frontier row's cells) under a
 * content hash of exactly what decides it, so that a re-run explores only the rows whose code or
 * inputs changed. The key (keyOf) covers:
 *   - the model's code (code-hash.ts: the built packages every exploration imports),
 *   - the policy's code and that of every policy it depends on (code-hash.ts),
 *   - the row: policy id, the scenario row (every field, after the assumption overrides: kernel
 *     and assumptions included), and the profile: the values of the fields the row's exploration
 *     read (the worker notes them, for matrix and frontier rows alike). Rows of profiles equal on those
 *     fields are the same exploration: one answers the other, relabelled (relabel),
 *   - how it is explored: bounds, strategy, exact, and the cost table (matrix) or the
 *     dimensions, ceilings and properties (frontier),
 *   - the tool's version and this cache's own format version.
 * Nothing in it reads a clock. A result is stored only when it is what any run would compute:
 * never a row that could not run (the pool's error rows), never one with an `error` cell (a
 * plugin threw), never one a time limit (SWITCHLAB_TIME_LIMIT_MS) stopped. The baseline's
 * (original's) entries also hold what their exploration reached (model/src/reach.ts): another
 * policy's row that changes none of it is the baseline's, relabelled (relabelPolicy, and
 * pool/run-rows.ts), and is stored under its own key.
 *
 * Layout, under the cache directory (cacheDir: <root>/node_modules/.cache/switchlab, or
 * SWITCHLAB_CACHE_DIR): rows/<key>.json.gz, one per row (gzipped JSON); rows/index.json, each
 * entry's size and the sequence number of its last use, and per group the field sets its rows
 * read; costs.json, each row's states explored when it last ran (the pool schedules the longest
 * rows first). The rows are capped (maxBytes): when over, the least recently used go first, by
 * sequence number, which the run assigns in matrix order, so what is evicted never depends on
 * timing.
 */

/** The format of the stored entries; a change of it is a change of every key. */
const FORMAT = 3;

/** An entry's file: its key, gzipped JSON (at level 1, the default matrix's rows compress about 10 times). */
const EXT = ".json.gz";
const ENTRY = /^[0-9a-f]{64}\.json\.gz$/;

/** The default size cap of rows/: 200 MB (the default matrix takes about 8 MB: docs/scaling.md). */
export const DEFAULT_MAX_BYTES = 200 * 1000 * 1000;

/** The cache directory of a root: SWITCHLAB_CACHE_DIR, else node_modules/.cache/switchlab, the tools' convention. */
export function cacheDir(root: string): string {
  return process.env.SWITCHLAB_CACHE_DIR || join(root, "node_modules", ".cache", "switchlab");
}

/** Whether caching is off: --no-cache (commander's `cache: false`) or SWITCHLAB_NO_CACHE set to anything but 0 or "". */
export function noCache(v: { readonly cache?: unknown }): boolean {
  const env = process.env.SWITCHLAB_NO_CACHE;
  return v.cache === false || (env !== undefined && env !== "" && env !== "0");
}

/** The row cache of a command run on `root` (--no-cache: explore every row, still store them), or undefined. */
export function openCache(
  v: { readonly cache?: unknown },
  root: string,
  warn: (line: string) => void,
): RowCache | undefined {
  const max = process.env.SWITCHLAB_CACHE_MAX_MB;
  const mb = max !== undefined && /^\d+$/.test(max) ? Number(max) : undefined;
  return RowCache.open({
    dir: cacheDir(root),
    root,
    read: !noCache(v),
    warn,
    ...(mb !== undefined ? { maxBytes: mb * 1000 * 1000 } : {}),
  });
}

/** JSON with every object's keys sorted: the same data gives the same text, however it was built. */
export function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export type RowResult = JobResult | FrontierRowResult;
type Stored = {
  readonly key: string;
  readonly profile: string;
  readonly result: Omit<RowResult, "ordinal">;
  /** The baseline's row: the methods and steps its exploration reached (model/src/reach.ts). */
  readonly reach?: ReachData;
};

/** A stored row as the run reads it: the result, the profile fields its key holds, and its reach if recorded. */
export interface Entry {
  readonly result: RowResult;
  readonly reads: readonly string[];
  readonly reach?: ReachData;
}

interface Index {
  next: number;
  entries: Record<string, { seq: number; bytes: number; group?: string }>;
  /** Per group (groupOf): each set of profile fields a stored row of it read. */
  reads: Record<string, string[][]>;
}

/** Every field of a profile but its id: what a row that noted no reads is keyed by. */
function allFields(profile: Task["profile"]): string[] {
  return Object.keys(profile)
    .filter((k) => k !== "id")
    .sort();
}

export interface RowCacheOptions {
  /** The cache directory (cacheDir). */
  readonly dir: string;
  /** The root whose policies/ the rows run. */
  readonly root: string;
  /** Read stored rows (false: --no-cache; results are still stored, as `docker build --no-cache` does). */
  readonly read: boolean;
  /** rows/ at most this many bytes (DEFAULT_MAX_BYTES). */
  readonly maxBytes?: number;
  /** Where the one line saying the cache is off goes. */
  readonly warn: (line: string) => void;
  /** The model's code hash (default: modelCodeHash(); tests give their own). */
  readonly modelHash?: string;
  /** Hash salts (SWITCHLAB_CACHE_SALT; see saltsFrom). */
  readonly salts?: ReadonlyMap<string, string>;
}

/** What one run did with the cache. */
export interface CacheStats {
  /** Rows read from the cache. */
  hits: number;
  /** Rows answered by the exploration of an equivalent profile's row in this run. */
  shared: number;
  /** Rows answered by the baseline's row: the policy's changes are not reached there (model/src/reach.ts). */
  baseline: number;
  /** Rows explored (not in the cache, or --no-cache; a row the pool could not run is not counted). */
  explored: number;
  /** Distinct states those explorations visited (a frontier row: its explorations). */
  states: number;
  /** Rows stored. */
  stored: number;
  /** Entries written (rows of equivalent profiles share one, written once a run). */
  written: number;
  /** Entries evicted to keep under the cap. */
  evicted: number;
}

/** The last run's statistics (tests count explorations with it). */
export let lastStats: CacheStats | undefined;

export class RowCache {
  readonly stats: CacheStats = {
    hits: 0,
    shared: 0,
    baseline: 0,
    explored: 0,
    states: 0,
    stored: 0,
    written: 0,
    evicted: 0,
  };
  private readonly rows: string;
  private readonly model: string;
  private readonly policies = new Map<string, string | undefined>();
  private readonly salts: ReadonlyMap<string, string>;
  private off = false;
  private readonly touched = new Map<string, { ordinal: number; bytes: number; group: string }>();
  /** The entries written in this run. */
  private readonly putKeys = new Set<string>();
  private readonly groups = new WeakMap<Task, string | undefined>();
  /** canonical() of the objects tasks share, by object (canonicalFields). */
  private readonly texts = new WeakMap<object, string>();
  private fieldSets: Record<string, string[][]> = {};
  /** The entries read in this run, parsed, by key (put forgets the one it replaces). */
  private readonly read = new Map<string, { readonly stored: Stored; readonly bytes: number; relabels?: true }>();
  private costs: Record<string, number> = {};
  private readonly costsNow: Record<string, number> = {};
  private byRow: Map<string, number> | undefined;

  private constructor(
    private readonly opts: RowCacheOptions,
    model: string,
  ) {
    this.rows = join(opts.dir, "rows");
    this.model = model;
    this.salts = opts.salts ?? saltsFrom(process.env.SWITCHLAB_CACHE_SALT);
    lastStats = this.stats;
  }

  /** The cache for a run, or undefined (with one line on stderr) when its directory cannot be used. */
  static open(opts: RowCacheOptions): RowCache | undefined {
    const salts = opts.salts ?? saltsFrom(process.env.SWITCHLAB_CACHE_SALT);
    let model: string;
    try {
      model = opts.modelHash ?? modelCodeHash(undefined, salts);
    } catch (e) {
      opts.warn(`switchlab: the model's built code cannot be read (${why(e)}); running without the cache\n`);
      return undefined;
    }
    const c = new RowCache({ ...opts, salts }, model);
    try {
      mkdirSync(c.rows, { recursive: true });
      // Can it be written? A read-only directory would fail every store: say so once, now.
      const probe = join(c.rows, `.probe.${process.pid}`);
      writeFileSync(probe, "");
      unlinkSync(probe);
    } catch (e) {
      opts.warn(`switchlab: cannot use the cache directory ${opts.dir} (${why(e)}); running without the cache\n`);
      return undefined;
    }
    c.fieldSets = readIndex(c.rows).reads;
    try {
      const k = JSON.parse(readFileSync(join(opts.dir, "costs.json"), "utf8")) as { rows?: Record<string, number> };
      if (k && typeof k.rows === "object") c.costs = k.rows;
    } catch {
      // no costs yet: rows run in matrix order
    }
    return c;
  }

  /** The cache directory. */
  get dir(): string {
    return this.opts.dir;
  }

  /** Whether stored results are read (false: --no-cache). */
  get reads(): boolean {
    return this.opts.read && !this.off;
  }

  /** The model's code and these policies' code, as one hash; undefined when one cannot be hashed. */
  codeOf(ids: readonly string[]): string | undefined {
    this.addPolicies(ids);
    const h = createHash("sha256").update(`${this.model}\0`);
    for (const id of ids) {
      const p = this.policies.get(id);
      if (!p) return undefined;
      h.update(`${id}\0${p}\0`);
    }
    return h.digest("hex");
  }

  /** Write a file under the cache directory, whole (a temporary file, then rename). */
  writeFile(relativePath: string, text: string): void {
    writeAtomicSync(join(this.opts.dir, relativePath), text);
  }

  /** The policies the keys need, hashed once per run. */
  addPolicies(ids: readonly string[]): void {
    const want = ids.filter((id) => !this.policies.has(id));
    const got = policyCodeHashes(this.opts.root, want, this.salts);
    for (const id of want) this.policies.set(id, got.get(id));
  }

  /**
   * The hash of everything a row's result depends on but the profile, or undefined when its code
   * cannot be hashed (then the row is neither read nor stored). Rows of one policy and scenario
   * row on different profiles share it: the group within which profiles can be equivalent.
   */
  groupOf(t: Task): string | undefined {
    let g = this.groups.get(t);
    if (g === undefined && !this.groups.has(t)) {
      if (!this.policies.has(t.policy)) this.addPolicies([t.policy]);
      const policy = this.policies.get(t.policy);
      const how =
        t.kind === "matrix"
          ? { costTable: t.costTable }
          : { dimensions: t.dimensions ?? null, ceilings: t.ceilings, properties: t.properties ?? null };
      g = policy
        ? createHash("sha256")
            .update(
              this.canonicalFields({
                format: FORMAT,
                tool: TOOL,
                kind: t.kind,
                model: this.model,
                policyCode: policy,
                policy: t.policy,
                scenario: t.scenario,
                bounds: t.bounds,
                strategy: t.strategy,
                exact: t.exact,
                ...how,
              }),
            )
            .digest("hex")
        : undefined;
      this.groups.set(t, g);
    }
    return g;
  }

  /**
   * canonical(o) for an object whose field values the run's tasks share (their scenario, bounds,
   * strategy, cost table): the same text, with each object-valued field's canonical text made
   * once per object a run rather than once per task.
   */
  private canonicalFields(o: Record<string, unknown>): string {
    const fields: string[] = [];
    for (const k of Object.keys(o).sort()) {
      const v = o[k];
      if (v === undefined) continue;
      let text: string;
      if (v !== null && typeof v === "object") {
        const known = this.texts.get(v);
        text = known ?? canonical(v);
        if (known === undefined) this.texts.set(v, text);
      } else {
        // As JSON.stringify leaves out a field whose value has no JSON (a function, a symbol).
        const json = JSON.stringify(v) as string | undefined;
        if (json === undefined) continue;
        text = json;
      }
      fields.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${fields.join(",")}}`;
  }

  /**
   * The key of a row whose exploration read the profile fields `reads` (what the worker noted;
   * every field when nothing was noted): its group and those fields' values. The id is
   * never among them: the result names the profile, and is relabelled (relabel) when read.
   */
  private keyOf(group: string, profile: Task["profile"], reads: readonly string[]): string {
    const p = profile as unknown as Record<string, unknown>;
    return createHash("sha256")
      .update(canonical({ group, reads, values: reads.map((f) => p[f] ?? null) }))
      .digest("hex");
  }

  /** Whether stored rows of equivalent profiles can answer the rows of this group: reads on (matrix and frontier rows alike). */
  shares(): boolean {
    return this.opts.read && !this.off;
  }

  /** A row's stored entry: its result (with the task's ordinal and profile), the fields it read, its reach. */
  entry(t: Task): Entry | undefined {
    if (this.off || !this.opts.read) return undefined;
    const group = this.groupOf(t);
    if (!group) return undefined;
    // The field sets its group's stored rows read (earlier runs noted them).
    for (const reads of this.fieldSets[group] ?? []) {
      const key = this.keyOf(group, t.profile, reads);
      // Equivalent profiles' rows share an entry: it is read and parsed once a run.
      let got = this.read.get(key);
      if (!got) {
        let data: Buffer;
        try {
          data = readFileSync(join(this.rows, `${key}${EXT}`));
        } catch {
          continue;
        }
        try {
          got = { stored: JSON.parse(gunzipSync(data).toString("utf8")) as Stored, bytes: data.length };
        } catch {
          // a damaged entry: explored again and rewritten
          continue;
        }
        this.read.set(key, got);
      }
      try {
        const s = got.stored;
        if (s.key !== key || !s.result) continue;
        const r = relabel({ ...s.result, ordinal: t.ordinal } as RowResult, s.profile, t.profile.id, got.relabels);
        if (!r) continue;
        if (s.profile !== t.profile.id) got.relabels = true;
        this.use(key, t.ordinal, got.bytes, group);
        this.noteCost(t, r);
        return { result: r, reads, ...(s.reach ? { reach: s.reach } : {}) };
      } catch {
        // a damaged entry: explored again and rewritten
      }
    }
    return undefined;
  }

  /**
   * Store a row's result, when it is one every run would compute, under the profile fields it
   * read, with the baseline's reach when it was recorded.
   */
  put(t: Task, r: RowResult, reads?: readonly string[], reach?: ReachData): void {
    this.noteCost(t, r);
    if (this.off || !cacheable(t, r)) return;
    const group = this.groupOf(t);
    if (!group) return;
    const fields = reads ?? allFields(t.profile);
    const known = (this.fieldSets[group] ??= []);
    if (!known.some((k) => k.join() === fields.join())) known.push([...fields]);
    const key = this.keyOf(group, t.profile, fields);
    // Equivalent profiles' rows share a key, and a key's result is the same exploration: once
    // one is written in this run, another (a --no-cache run explores them all) is not written
    // again. The entry keeps the lowest ordinal that used it, so eviction order never depends
    // on which row finished first.
    if (this.putKeys.has(key)) {
      this.stats.stored++;
      this.use(key, t.ordinal, undefined, group);
      return;
    }
    this.read.delete(key);
    const { ordinal: _, ...result } = r;
    const file = join(this.rows, `${key}${EXT}`);
    const tmp = join(this.rows, `.${key}.${process.pid}.tmp`);
    try {
      // The fastest level: the run's own thread compresses each row while the workers explore,
      // and level 1 takes half the time of the default for half as many bytes again (about 10 to 1).
      const data = gzipSync(
        JSON.stringify({ key, profile: t.profile.id, result, ...(reach ? { reach } : {}) } satisfies Stored),
        { level: 1 },
      );
      writeFileSync(tmp, data);
      renameSync(tmp, file);
      this.stats.stored++;
      this.stats.written++;
      this.use(key, t.ordinal, data.length, group);
      this.putKeys.add(key);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // never written
      }
      this.off = true;
      this.opts.warn(`switchlab: cannot write the cache in ${this.rows} (${why(e)}); not caching the rest\n`);
    }
  }

  /**
   * An entry used by a row of this run (read or written): its size now (undefined: unchanged),
   * and the lowest ordinal of the rows that used it, whatever order they came in, so that the
   * sequence numbers close gives (and so eviction) never depend on timing.
   */
  private use(key: string, ordinal: number, bytes: number | undefined, group: string): void {
    const e = this.touched.get(key);
    if (e) {
      e.ordinal = Math.min(e.ordinal, ordinal);
      if (bytes !== undefined) e.bytes = bytes;
    } else this.touched.set(key, { ordinal, bytes: bytes ?? 0, group });
  }

  /** A row's cost (states explored when it last ran), for scheduling; undefined when it never ran. */
  costOf(t: Task): number | undefined {
    const own = this.costs[rowId(t.kind, t.policy, t.profile.id, t.scenario.id)];
    if (own !== undefined) return own;
    // Never ran under this policy: the costliest other policy's on the same row, if any.
    if (!this.byRow) {
      this.byRow = new Map();
      for (const [k, v] of Object.entries(this.costs)) {
        const [kind, , profile, scenario] = k.split("\u0000");
        const r = rowId(kind ?? "", "", profile ?? "", scenario ?? "");
        this.byRow.set(r, Math.max(v, this.byRow.get(r) ?? 0));
      }
    }
    return this.byRow.get(rowId(t.kind, "", t.profile.id, t.scenario.id));
  }

  private noteCost(t: Task, r: RowResult): void {
    const states = "states" in r ? r.states : r.explorations;
    this.costsNow[rowId(t.kind, t.policy, t.profile.id, t.scenario.id)] = states;
  }

  /** The end of a run: the index (use order, sizes), eviction down to the cap, the costs. */
  close(): void {
    if (this.off) return;
    try {
      const index = readIndex(this.rows);
      // This run's entries, used or stored, in matrix order: the newest sequence numbers.
      for (const [key, e] of [...this.touched].sort((a, b) => a[1].ordinal - b[1].ordinal))
        index.entries[key] = { seq: index.next++, bytes: e.bytes, group: e.group };
      // The profile fields this run's rows read, beside those of other runs.
      for (const [g, sets] of Object.entries(this.fieldSets)) {
        const known = (index.reads[g] ??= []);
        for (const f of sets) if (!known.some((k) => k.join() === f.join())) known.push(f);
      }
      // Entries another run stored without indexing them yet: the oldest, by name.
      const names = readdirSync(this.rows)
        .filter((n) => ENTRY.test(n))
        .sort();
      const present = new Set(names.map((n) => n.slice(0, 64)));
      for (const key of Object.keys(index.entries)) if (!present.has(key)) delete index.entries[key];
      for (const key of present)
        if (!index.entries[key])
          index.entries[key] = { seq: -1, bytes: statSync(join(this.rows, `${key}${EXT}`)).size };
      let total = Object.values(index.entries).reduce((n, e) => n + e.bytes, 0);
      const max = this.opts.maxBytes ?? DEFAULT_MAX_BYTES;
      if (total > max) {
        const order = Object.entries(index.entries).sort((a, b) => a[1].seq - b[1].seq || (a[0] < b[0] ? -1 : 1));
        for (const [key, e] of order) {
          if (total <= max) break;
          unlinkSync(join(this.rows, `${key}${EXT}`));
          delete index.entries[key];
          total -= e.bytes;
          this.stats.evicted++;
        }
      }
      // A group none of whose rows is stored any more needs no fields.
      const live = new Set(Object.values(index.entries).map((e) => e.group));
      for (const g of Object.keys(index.reads)) if (!live.has(g)) delete index.reads[g];
      writeAtomicSync(join(this.rows, "index.json"), JSON.stringify(index));
      const costs = { ...this.costs, ...this.costsNow };
      writeAtomicSync(join(this.opts.dir, "costs.json"), JSON.stringify({ rows: costs }));
    } catch (e) {
      this.opts.warn(`switchlab: cannot update the cache's index in ${this.rows} (${why(e)})\n`);
    }
  }
}

/** A row every run with these inputs computes: no `error` cell, nothing stopped by the clock. */
function cacheable(t: Task, r: RowResult): boolean {
  if (t.bounds.timeLimitMs > 0 && t.kind === "frontier") return false;
  return r.cells.every(
    (c) =>
      c.verdict !== "error" && !("bound" in c && (c as { bound?: { name: string } }).bound?.name === "timeLimitMs"),
  );
}

/** A row's cost entry: the kind of exploration before the row's key (conformance's rowKey). */
function rowId(kind: string, policy: string, profile: string, scenario: string): string {
  return `${kind}\u0000${rowKey({ policy, profile, scenario })}`;
}

function readIndex(rows: string): Index {
  try {
    const i = JSON.parse(readFileSync(join(rows, "index.json"), "utf8")) as Index;
    if (typeof i.next === "number" && i.entries && typeof i.entries === "object")
      return { ...i, reads: i.reads && typeof i.reads === "object" ? i.reads : {} };
  } catch {
    // none yet, or damaged: rebuilt from the files
  }
  return { next: 0, entries: {}, reads: {} };
}

function writeAtomicSync(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function why(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message.split("\n")[0]! : String(e);
}
