import type { RowResult } from "./rows.js";

/**
 * Relabelling a stored row's result for a row that another row's exploration answers (the row
 * cache, rows.ts, and the pool, pool/run-rows.ts): the ids in its labels are changed, and the
 * result is refused when the old id appears anywhere else.
 */

/**
 * A stored row's result as the row of another profile (its equivalent: equal on every field the
 * stored row read): the profile's id in its cells, guards and cost, and in each counterexample's
 * reproduce line. Undefined when the source id appears anywhere else (then the row is explored).
 */
export function relabel(r: RowResult, from: string, to: string, checked = false): RowResult | undefined {
  return relabelRow(r, "profile", from, to, checked);
}

/**
 * The baseline's row as another policy's (one whose changes its exploration never reached,
 * model/src/reach.ts): the policy's id where relabel puts a profile's. Undefined when the
 * baseline's id appears anywhere else.
 */
export function relabelPolicy(r: RowResult, from: string, to: string): RowResult | undefined {
  return relabelRow(r, "policy", from, to);
}

/**
 * `checked`: the same stored result was relabelled from `from` before, to another id, and came
 * out whole. Whether `from` is named anywhere but in the labels does not depend on `to` (ids are
 * letters, digits and dashes: one is inside another's text only as a longer id), so the search
 * for it in the result's JSON, the costliest part, need not run again.
 */
function relabelRow(
  r: RowResult,
  field: "profile" | "policy",
  from: string,
  to: string,
  checked = false,
): RowResult | undefined {
  if (from === to) return r;
  const flag = ` --${field} `;
  const moved = <C extends { readonly reproduce: string }>(ce: C): C => ({
    ...ce,
    reproduce: ce.reproduce.replace(`${flag}${from} `, `${flag}${to} `),
  });
  const cells = r.cells.map((c) => {
    const ce = "counterexample" in c ? c.counterexample : undefined;
    return {
      ...c,
      [field]: to,
      ...(ce ? { counterexample: moved(ce) } : {}),
      // A frontier cell's edges carry their own counterexamples.
      ...("edges" in c
        ? { edges: c.edges.map((e) => (e.counterexample ? { ...e, counterexample: moved(e.counterexample) } : e)) }
        : {}),
    };
  });
  const out =
    "guards" in r
      ? {
          ...r,
          cells,
          guards: r.guards.map((g) => ({ ...g, [field]: to })),
          ...(r.cost ? { cost: { ...r.cost, [field]: to } } : {}),
        }
      : { ...r, cells };
  // Nothing else may name it: a trace or message that did would be wrong for `to`.
  // (Profile and policy ids are lower-case letters, digits and dashes: an id is one not inside a longer one.)
  const named = new RegExp(`(?<![a-z0-9-])${from.replace(/[^a-z0-9-]/g, "\\$&")}(?![a-z0-9-])`);
  if (!checked && named.test(JSON.stringify(out))) return undefined;
  return out as RowResult;
}
