import type { MatrixResult } from "@switchlab/conformance";
import { BASELINE, cellOf, errorCells, parseShard, rowKey } from "@switchlab/conformance";
import type { HardwareProfile } from "@switchlab/hardware";
import type { Scenario } from "@switchlab/model";
import {
  renderAnswer,
  renderEmail,
  renderHtml,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderTap,
  renderText,
} from "@switchlab/report";
import { frontierKey, loadFrontier, saveFrontier } from "../cache/frontier.js";
import { type CacheStats, openCache } from "../cache/rows.js";
import { loadCatalogWith, workRoot } from "../catalog.js";
import { loadCostTable } from "../cost-file.js";
import { type Io, UsageError } from "../io.js";
import {
  applyAssumptions,
  assumptionsFrom,
  boundsFrom,
  checkOut,
  failOnFrom,
  oneOf,
  poolFrom,
  selectIds,
  selectScenarios,
  strategyFrom,
  type Values,
} from "../options.js";
import { poolFrontier, poolMatrix } from "../pool/run-rows.js";
import { progressReporter } from "../progress.js";
import { writeAtomic } from "../write-atomic.js";

export const FORMATS = ["text", "email", "markdown", "json", "junit", "tap", "html"] as const;

/** Exit code 1 when --fail-on names the verdict of a cell. */
/**
 * Whether `--fail-on` fails the run: a cell with one of the named verdicts, and whatever the
 * names, a cell in `error` or a plugin that could not be loaded (its rows are missing), so a
 * broken plugin can never make a gate pass.
 */
export function failed(m: MatrixResult, failOn: ReadonlySet<string> | undefined): boolean {
  return (
    failOn !== undefined &&
    (m.problems.length > 0 || m.cells.some((c) => failOn.has(c.verdict) || c.verdict === "error"))
  );
}

/**
 * The determinism check: a row whose cells differ between two runs (the second uncached, in
 * reverse order, in fresh workers) becomes `error`, naming the check, so a policy that keeps state
 * outside the world between rows, or reads something that changes, cannot pass quietly.
 */
export function determinism(first: MatrixResult, second: MatrixResult): MatrixResult {
  const again = new Map<string, string>();
  for (const c of second.cells) again.set(`${rowKey(c)}\u0000${c.property}`, JSON.stringify(c));
  const differs = new Set<string>();
  for (const c of first.cells)
    if (again.get(`${rowKey(c)}\u0000${c.property}`) !== JSON.stringify(c)) differs.add(rowKey(c));
  if (differs.size === 0) return first;
  return {
    ...first,
    cells: first.cells.map((c) =>
      differs.has(rowKey(c))
        ? cellOf({
            ...c,
            verdict: "error",
            message: `--check-determinism: policy ${c.policy} gave different results for this row in a second run (another order, fresh workers): it keeps state outside the world, or reads something that changes`,
          })
        : c,
    ),
  };
}

/**
 * Every row asked for, accounted for: a (policy, profile, scenario) the run gave no cell for
 * (which no path should allow) becomes `error` rows saying so, never a silent gap.
 */
export function accountRows(
  m: MatrixResult,
  policies: readonly { id: string }[],
  profiles: readonly HardwareProfile[],
  scenarios: readonly Scenario[],
): MatrixResult {
  const have = new Set(m.cells.map(rowKey));
  const missing = policies.flatMap((p) =>
    profiles.flatMap((h) =>
      scenarios
        .filter((s) => !have.has(rowKey({ policy: p.id, profile: h.id, scenario: s.id })))
        .flatMap((s) =>
          errorCells(p.id, h, s, "no result came back for this row (a bug in switchlab: please report it)"),
        ),
    ),
  );
  return missing.length ? { ...m, cells: [...m.cells, ...missing] } : m;
}

/**
 * `switchlab matrix`: every policy x profile x scenario x property, explored; a text table by
 * default, progress on stderr. Exit 0 when the run completed (violations are results); 1 with
 * `--fail-on` when a cell has one of the named verdicts; 2 for usage errors.
 */
export async function matrixCommand(v: Values, _args: string[], io: Io): Promise<number> {
  const format = oneOf("format", v.format as string | undefined, FORMATS);
  const failOn = failOnFrom(v);
  checkOut(v.out as string | undefined);
  const catalog = await loadCatalogWith(v.profileFile as string | undefined, v);
  const policies = selectIds("policy", catalog.policies, v.policy as string | undefined);
  const profiles = selectIds("profile", catalog.profiles, v.profile as string | undefined);
  const scenarios = applyAssumptions(selectScenarios(catalog, v), assumptionsFrom(v));
  const bounds = boundsFrom(v);
  const strategy = strategyFrom(v);
  const costTable = v.costs ? await loadCostTable(v.costs as string) : undefined;
  const shard = v.shard === undefined ? undefined : parseShard(v.shard as string);
  if (v.shard !== undefined && !shard)
    throw new UsageError(`--shard takes i/n with 1 <= i <= n (for example 1/4), got '${v.shard}'`);
  for (const p of catalog.problems) io.err(`switchlab: plugin skipped: ${p.path}: ${p.message}\n`);
  const pool = withWorkerStats(
    poolFrom(v, workRoot(), policies, (t) => io.err(t)),
    io,
  );
  const cache = openCache(v, workRoot(), (t) => io.err(t));
  cache?.addPolicies(policies.map((p) => p.id));
  const matrixInput = {
    policies,
    profiles,
    scenarios,
    bounds,
    strategy,
    exact: v.exact === true,
    ...(costTable ? { costTable } : {}),
    problems: catalog.problems,
    ...(shard ? { shard } : {}),
  };
  const m1 = await poolMatrix(
    { ...matrixInput, onCell: v.quiet ? undefined : progressReporter(io) },
    pool,
    // --check-determinism explores every row in matrix order, then again in reverse (below):
    // the cache would answer rows and reorder the rest, so it stays out of both runs.
    v.checkDeterminism ? undefined : cache,
  );
  // --check-determinism: every row again, uncached, in reverse order, in fresh workers.
  const m2 = v.checkDeterminism ? determinism(m1, await poolMatrix(matrixInput, pool, undefined, true)) : m1;
  // A shard holds its share of the rows only; merge checks a whole matrix's rows.
  const m0 = shard ? m2 : accountRows(m2, policies, profiles, scenarios);
  if (cache && !v.quiet) io.err(cacheLine(cache.stats));
  // Each policy's frontier summary: computed with --frontier, else from switchlab frontier's
  // cache for exactly these inputs and this build (frontier-cache.ts); a shard has none.
  let m: MatrixResult = m0;
  if (!shard) {
    const input = { policies, profiles, scenarios, ceilings: {}, bounds, strategy, exact: v.exact === true };
    const key = cache ? frontierKey(cache, input) : undefined;
    let f = v.frontier || !cache?.reads ? undefined : loadFrontier(cache, key);
    const source = f ? "cache" : "computed";
    if (!f && v.frontier) {
      if (!v.quiet) io.err("switchlab: computing the frontier (each assumption widened alone)\n");
      f = await poolFrontier(input, pool, cache);
      if (f.problems.length === 0 && cache) saveFrontier(cache, key, f);
    }
    if (f)
      m = { ...m0, frontier: { summary: f.summary, dimensions: f.dimensions, explorations: f.explorations, source } };
  }
  const text = render(format, m, {
    sortByCost: v.sort === "cost",
    color: !v.out && io.isTTY?.() === true && !process.env.NO_COLOR,
    full: v.full === true,
    details: v.details === true,
  });
  if (v.out) await writeAtomic(v.out as string, text);
  else io.out(text);
  return failed(m, failOn) ? 1 : 0;
}

/** What the cache did, in one line on stderr. */
export function cacheLine(s: Omit<CacheStats, "stored">, unit = "states"): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `switchlab: ${n(s.hits)} row${s.hits === 1 ? "" : "s"} from the cache, ${s.shared ? `${n(s.shared)} from an equivalent profile's, ` : ""}${s.baseline ? `${n(s.baseline)} from ${BASELINE}'s (nothing the policy changes reached), ` : ""}${n(s.explored)} explored (${n(s.states)} ${unit})${s.evicted ? `, ${n(s.evicted)} old entries evicted` : ""}\n`;
}

/**
 * For `pnpm bench` (SWITCHLAB_POOL_STATS=1): how busy each worker was, one line on stderr. The
 * clock is read only then, and only to report; no result depends on it.
 */
export function withWorkerStats<T extends object>(pool: T, io: Io): T {
  if (!process.env.SWITCHLAB_POOL_STATS) return pool;
  return {
    ...pool,
    clock: () => performance.now(),
    onWorkers: (busy: readonly number[], wall: number) =>
      io.err(
        `switchlab: workers busy ${busy.map((b, i) => `#${i + 1} ${((100 * b) / Math.max(wall, 1)).toFixed(1)}%`).join(", ")} of ${(wall / 1000).toFixed(2)} s\n`,
      ),
  };
}

/** The matrix in one of the formats. */
export function render(
  format: string,
  m: MatrixResult,
  opts: { sortByCost?: boolean; color?: boolean; full?: boolean; details?: boolean } = {},
): string {
  switch (format) {
    case "json":
      return renderJson(m);
    case "email":
      return renderEmail(m, { full: opts.full === true });
    case "markdown":
      return renderMarkdown(m, { full: opts.full === true, details: opts.details === true });
    case "junit":
      return renderJunit(m);
    case "tap":
      return renderTap(m);
    case "html":
      return renderHtml(m);
    default:
      return opts.details || opts.sortByCost ? `${renderAnswer(m)}\n${renderText(m, opts)}` : renderAnswer(m);
  }
}
