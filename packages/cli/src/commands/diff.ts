import { diffPolicies } from "@switchlab/conformance";
import { renderDiffHtml, renderDiffText } from "@switchlab/report";
import { findPolicy, loadCatalog } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import {
  applyAssumptions,
  assumptionsFrom,
  boundsFrom,
  checkOut,
  oneOf,
  selectIds,
  selectScenarios,
  type Values,
} from "../options.js";
import { writeAtomic } from "../write-atomic.js";

/**
 * `switchlab diff <policyA> <policyB>`: for each (profile, scenario, property) where one holds
 * and the other is violated, the violating one's shortest counterexample beside the other's run
 * of the same events; text side by side, JSON, or HTML with two aligned timelines.
 */
export async function diffCommand(values: Values, args: string[], io: Io): Promise<number> {
  const format = oneOf("format", values.format as string | undefined, ["text", "json", "html"]);
  checkOut(values.out as string | undefined);
  const catalog = await loadCatalog();
  const [a, b] = args.map((id) => findPolicy(catalog, id));
  if (!a || !b) throw new UsageError("two policies are needed");
  const d = diffPolicies(
    a,
    b,
    selectIds("profile", catalog.profiles, values.profile as string | undefined),
    applyAssumptions(selectScenarios(catalog, values), assumptionsFrom(values)),
    boundsFrom(values),
  );
  const text =
    format === "json" ? `${JSON.stringify(d, null, 2)}\n` : format === "html" ? renderDiffHtml(d) : renderDiffText(d);
  if (values.out) await writeAtomic(values.out as string, text);
  else io.out(text);
  return 0;
}
