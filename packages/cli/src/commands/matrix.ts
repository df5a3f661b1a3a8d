import { parseArgs } from "node:util";
import type { MatrixResult } from "@switchlab/conformance";
import { parseShard, runMatrix } from "@switchlab/conformance";
import { renderEmail, renderHtml, renderJson, renderJunit, renderMarkdown, renderText } from "@switchlab/report";
import { loadCatalogWith } from "../catalog.js";
import { loadCostTable } from "../cost-file.js";
import { type Io, UsageError } from "../io.js";
import { BOUND_OPTIONS, boundsFrom, oneOf, ROW_OPTIONS, selectIds, strategyFrom, withBudgets } from "../options.js";
import { progressReporter } from "../progress.js";
import { writeAtomic } from "../write-atomic.js";

export const FORMATS = ["text", "email", "markdown", "json", "junit", "html"] as const;

/**
 * `switchlab matrix`: every policy x profile x scenario x property, explored; a text table by
 * default, progress on stderr. Exit 0 when the run completed (violations are results), 1 with
 * `--fail-on violated` when any cell is violated or an error, 2 for usage errors.
 */
export async function matrixCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...ROW_OPTIONS,
      quiet: { type: "boolean", default: false },
      costs: { type: "string" },
      sort: { type: "string" },
      shard: { type: "string" },
      ...BOUND_OPTIONS,
    },
  });
  if (positionals.length)
    throw new UsageError(
      `unexpected argument '${positionals[0]}'; usage: switchlab matrix [--policy ids] [--profile ids] [--scenario ids] [--format text|json] [--out file]`,
    );
  const format = oneOf("format", values.format, FORMATS);
  const failOn =
    values["fail-on"] === undefined ? undefined : oneOf("--fail-on value", values["fail-on"], ["violated"]);
  const catalog = await loadCatalogWith(values["profile-file"]);
  const policies = selectIds("policy", catalog.policies, values.policy);
  const profiles = selectIds("profile", catalog.profiles, values.profile);
  const scenarios = selectIds("scenario", catalog.scenarios, values.scenario).map((s) => withBudgets(s, values));
  const bounds = boundsFrom(values);
  const costTable = values.costs ? await loadCostTable(values.costs) : undefined;
  const sort = values.sort === undefined ? undefined : oneOf("--sort value", values.sort, ["cost"]);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard)
    throw new UsageError(`--shard takes i/n with 1 <= i <= n (for example 1/4), got '${values.shard}'`);
  for (const p of catalog.problems) io.err(`switchlab: plugin skipped: ${p.path}: ${p.message}\n`);
  const m = runMatrix({
    policies,
    profiles,
    scenarios,
    bounds,
    strategy: strategyFrom(values),
    ...(costTable ? { costTable } : {}),
    problems: catalog.problems,
    ...(shard ? { shard } : {}),
    onCell: values.quiet ? undefined : progressReporter(io),
  });
  const text = render(format, m, {
    sortByCost: sort === "cost",
    color: !values.out && io.isTTY?.() === true && !process.env.NO_COLOR,
  });
  if (values.out) await writeAtomic(values.out, text);
  else io.out(text);
  if (failOn && m.cells.some((c) => c.verdict === "violated" || c.verdict === "error")) return 1;
  return 0;
}

/** The matrix in one of the formats. */
export function render(format: string, m: MatrixResult, opts: { sortByCost?: boolean; color?: boolean } = {}): string {
  switch (format) {
    case "json":
      return renderJson(m);
    case "email":
      return renderEmail(m);
    case "markdown":
      return renderMarkdown(m);
    case "junit":
      return renderJunit(m);
    case "html":
      return renderHtml(m);
    default:
      return renderText(m, opts);
  }
}
