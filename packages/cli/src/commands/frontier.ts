import { DIMENSIONS, type DimensionId, PROPERTIES } from "@switchlab/conformance";
import { renderFrontierHtml, renderFrontierMarkdown, renderFrontierText } from "@switchlab/report";
import { frontierKey, saveFrontier } from "../cache/frontier.js";
import { openCache } from "../cache/rows.js";
import { loadCatalogWith, workRoot } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import {
  applyAssumptions,
  assumptionsFrom,
  boundsFrom,
  checkOut,
  oneOf,
  poolFrom,
  selectIds,
  selectScenarios,
  strategyFrom,
  type Values,
} from "../options.js";
import { poolFrontier } from "../pool/run-rows.js";
import { writeAtomic } from "../write-atomic.js";
import { cacheLine, withWorkerStats } from "./matrix.js";

export const FRONTIER_FORMATS = ["text", "json", "markdown", "html"] as const;

/** --dimension a,b: option names without dashes (pmi-latency) or ids (pmiLatency). */
function dimensionsFrom(v: Values): DimensionId[] | undefined {
  const raw = v.dimension;
  if (typeof raw !== "string" || raw === "") return undefined;
  return raw.split(",").map((s) => {
    const t = s.trim();
    const d = DIMENSIONS.find((x) => x.id === t || x.option === `--${t}` || x.option === t);
    if (!d)
      throw new UsageError(
        `unknown dimension '${t}'; valid dimensions: ${DIMENSIONS.map((x) => x.option.slice(2)).join(", ")}`,
      );
    return d.id;
  });
}

/** --ceiling pmi-latency=16384,ticks=3 */
function ceilingsFrom(v: Values): Partial<Record<DimensionId, number>> {
  const raw = v.ceiling;
  if (typeof raw !== "string" || raw === "") return {};
  const out: Partial<Record<DimensionId, number>> = {};
  for (const part of raw.split(",")) {
    const [name, value] = part.split("=").map((x) => x.trim());
    const d = DIMENSIONS.find((x) => x.option === `--${name}` || x.id === name);
    if (!d || value === undefined || !/^\d+$/.test(value))
      throw new UsageError(
        `--ceiling takes dimension=value pairs (for example pmi-latency=16384); valid dimensions: ${DIMENSIONS.map((x) => x.option.slice(2)).join(", ")}; got '${part}'`,
      );
    out[d.id] = Number(value);
  }
  return out;
}

/**
 * `switchlab frontier`: for every row the filters select, each assumption moved alone: how far a
 * cell that holds keeps holding, and down to where a violated one stays violated. Exit 0 when the
 * run completed; 1 when a search contradicted a verdict (a model bug); 2 for usage errors.
 */
export async function frontierCommand(v: Values, _args: string[], io: Io): Promise<number> {
  const format = oneOf("format", v.format as string | undefined, FRONTIER_FORMATS);
  checkOut(v.out as string | undefined);
  const catalog = await loadCatalogWith(v.profileFile as string | undefined, v);
  const policies = selectIds("policy", catalog.policies, v.policy as string | undefined);
  const profiles = selectIds("profile", catalog.profiles, v.profile as string | undefined);
  const scenarios = applyAssumptions(selectScenarios(catalog, v), assumptionsFrom(v));
  const dimensions = dimensionsFrom(v);
  const properties = v.property ? selectIds("property", PROPERTIES, v.property as string).map((p) => p.id) : undefined;
  const ceilings = ceilingsFrom(v);
  // Every ceiling must be a value the scenarios can take (the same check as the options').
  for (const [k, c] of Object.entries(ceilings)) applyAssumptions(scenarios.slice(0, 1), { [k]: c });
  for (const p of catalog.problems) io.err(`switchlab: plugin skipped: ${p.path}: ${p.message}\n`);
  const input = {
    policies,
    profiles,
    scenarios,
    ...(dimensions ? { dimensions } : {}),
    ...(properties ? { properties } : {}),
    ceilings,
    bounds: boundsFrom(v),
    strategy: strategyFrom(v),
    exact: v.exact === true,
  };
  const cache = openCache(v, workRoot(), (t) => io.err(t));
  const key = cache ? frontierKey(cache, input) : undefined;
  const f = await poolFrontier(
    {
      ...input,
      problems: catalog.problems,
      onRow: v.quiet
        ? undefined
        : (done, total, n, explored = true) => {
            // Off a terminal, a line per row explored (progress.ts says why).
            if (io.errIsTTY?.()) io.err(`\r[${done}/${total}] rows, ${n} explorations `);
            else if (explored) io.err(`[${done}/${total}] rows, ${n} explorations\n`);
            if (done === total && io.errIsTTY?.()) io.err("\n");
          },
    },
    withWorkerStats(
      poolFrom(v, workRoot(), policies, (t) => io.err(t)),
      io,
    ),
    cache,
  );
  if (cache && !v.quiet) io.err(cacheLine(cache.stats, "explorations"));
  // A row the pool could not run is a problem of that run, not a result to keep.
  if (cache && f.problems.length === catalog.problems.length) saveFrontier(cache, key, f);
  const text =
    format === "json"
      ? `${JSON.stringify(f, null, 2)}\n`
      : format === "markdown"
        ? renderFrontierMarkdown(f)
        : format === "html"
          ? renderFrontierHtml(f)
          : renderFrontierText(f);
  if (v.out) await writeAtomic(v.out as string, text);
  else io.out(text);
  return f.cells.some((c) => c.edges.some((e) => e.inconsistent)) ? 1 : 0;
}
