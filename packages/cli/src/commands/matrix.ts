import type { MatrixResult } from "@switchlab/conformance";
import { parseShard } from "@switchlab/conformance";
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
import { loadCatalogWith, workRoot } from "../catalog.js";
import { loadCostTable } from "../cost-file.js";
import { frontierKey, loadFrontier, saveFrontier } from "../frontier-cache.js";
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
export function failed(m: MatrixResult, failOn: ReadonlySet<string> | undefined): boolean {
  return failOn !== undefined && m.cells.some((c) => failOn.has(c.verdict));
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
  const catalog = await loadCatalogWith(v.profileFile as string | undefined);
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
  const pool = poolFrom(v, workRoot(), policies, (t) => io.err(t));
  const m0 = await poolMatrix(
    {
      policies,
      profiles,
      scenarios,
      bounds,
      strategy,
      exact: v.exact === true,
      ...(costTable ? { costTable } : {}),
      problems: catalog.problems,
      ...(shard ? { shard } : {}),
      onCell: v.quiet ? undefined : progressReporter(io),
    },
    pool,
  );
  // Each policy's frontier summary: computed with --frontier, else from switchlab frontier's
  // cache for exactly these inputs and this build (frontier-cache.ts); a shard has none.
  let m: MatrixResult = m0;
  if (!shard) {
    const input = { policies, profiles, scenarios, ceilings: {}, bounds, strategy, exact: v.exact === true };
    const key = await frontierKey(workRoot(), input);
    let f = v.frontier ? undefined : await loadFrontier(workRoot(), key);
    const source = f ? "cache" : "computed";
    if (!f && v.frontier) {
      if (!v.quiet) io.err("switchlab: computing the frontier (each assumption widened alone)\n");
      f = await poolFrontier(input, pool);
      if (f.problems.length === 0) await saveFrontier(workRoot(), key, f);
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
      return renderMarkdown(m, { full: opts.full === true });
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
