import { parseArgs } from "node:util";
import { diffPolicies } from "@switchlab/conformance";
import { renderDiffHtml, renderDiffText } from "@switchlab/report";
import { findPolicy, loadCatalog } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import { BOUND_OPTIONS, boundsFrom, oneOf, selectIds, withBudgets } from "../options.js";
import { writeAtomic } from "../write-atomic.js";

/**
 * `switchlab diff <policyA> <policyB>`: for each (profile, scenario, property) where one holds
 * and the other is violated, the violating one's shortest counterexample beside the other's run
 * of the same events; text side by side, JSON, or HTML with two aligned timelines.
 */
export async function diffCommand(args: string[], io: Io): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      profile: { type: "string" },
      scenario: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      ...BOUND_OPTIONS,
    },
  });
  if (positionals.length !== 2)
    throw new UsageError(
      "usage: switchlab diff <policyA> <policyB> [--profile ids] [--scenario ids] [--format text|json|html] [--out file]",
    );
  const format = oneOf("format", values.format, ["text", "json", "html"]);
  const catalog = await loadCatalog();
  const [a, b] = positionals.map((id) => findPolicy(catalog, id as string));
  if (!a || !b) throw new UsageError("two policies are needed");
  const d = diffPolicies(
    a,
    b,
    selectIds("profile", catalog.profiles, values.profile),
    selectIds("scenario", catalog.scenarios, values.scenario).map((s) => withBudgets(s, values)),
    boundsFrom(values),
  );
  const text =
    format === "json" ? `${JSON.stringify(d, null, 2)}\n` : format === "html" ? renderDiffHtml(d) : renderDiffText(d);
  if (values.out) await writeAtomic(values.out, text);
  else io.out(text);
  return 0;
}
