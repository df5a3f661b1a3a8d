import { type AnyAssumption, ASSUMPTIONS, type Assumptions, assumptionById } from "@switchlab/model";

/**
 * What a verdict rests on, in one line: kernel, then each assumption's label (its record's, in
 * report order: PMI latency, PEBS quiescent period, masked PMI, budgets).
 */
export function assumptionLine(
  a: Assumptions | Readonly<Record<string, unknown>>,
  list: readonly AnyAssumption[] = ASSUMPTIONS,
): string {
  const values = a as Readonly<Record<string, unknown>>;
  let out = `kernel ${String(values.kernel)}`;
  for (const x of list) {
    const label = x.label(values[x.id]);
    if (label !== "") out += `${x.labelJoin ?? ", "}${label}`;
  }
  return out;
}

/** An assumption's column name in narrow tables (e-mail): its record's short name, else its id. */
export function assumptionShort(id: string, list: readonly AnyAssumption[] = ASSUMPTIONS): string {
  return assumptionById(id, list)?.short ?? id;
}
