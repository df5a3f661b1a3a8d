import {
  type AnyAssumption,
  ASSUMPTIONS,
  type AssumptionId,
  type AssumptionOverrides,
  type Assumptions,
  assumptionById,
} from "@switchlab/model";

/** An assumption the frontier widens (or narrows) alone, the others held at the row's values. */
export type DimensionId = AssumptionId;

/**
 * A dimension as the frontier reports it (its JSON keeps these keys, in this order): the
 * assumption's record (model/src/assumptions/) with its frontier part.
 */
export interface Dimension<Id extends string = DimensionId> {
  readonly id: Id;
  /** The command-line option that sets it. */
  readonly option: string;
  readonly title: string;
  readonly unit: string;
  /** The smallest value searched. */
  readonly floor: number;
  /** The largest value searched, unless `--ceiling` says otherwise. */
  readonly ceiling: number;
  /**
   * More of it allows every interleaving less of it allows (and more), so a violation at v stays
   * a violation above v: the search may bisect. Otherwise it steps one value at a time.
   */
  readonly monotone: boolean;
  /** Why it is (or is not) monotone, for the README and --help. */
  readonly why: string;
}

/** The dimensions of a list of assumptions: those with a frontier part, in the list's (report) order. */
export function dimensionsOf(list: readonly AnyAssumption[]): Dimension<string>[] {
  const out: Dimension<string>[] = [];
  for (const a of list)
    if (a.frontier)
      out.push({
        id: a.id,
        option: a.flag,
        title: a.title,
        unit: a.unit,
        floor: a.frontier.floor,
        ceiling: a.frontier.ceiling,
        monotone: a.frontier.monotone,
        why: a.frontier.why,
      });
  return out;
}

/**
 * The dimensions, in report order: every built-in assumption the frontier moves. PMI latency and
 * the quiescent period only add choices as they grow (a PMI may still be delivered early; a
 * latent assist need not happen); so do the budgets. Round trips are not monotone: the last round
 * trip ends in vcpu_put, which a longer run replaces by another entry, so the search steps through
 * them one by one (each record says why).
 */
export const DIMENSIONS: readonly Dimension[] = Object.freeze(dimensionsOf(ASSUMPTIONS) as Dimension[]);

/** The dimension's value in a row's assumptions, or undefined when it has none to search from ("unbounded", "none"). */
export function dimensionValue(
  a: Assumptions | Readonly<Record<string, unknown>>,
  d: Dimension<string>,
): number | undefined {
  const v = (a as Readonly<Record<string, unknown>>)[d.id];
  return typeof v === "number" ? v : undefined;
}

/** The overrides that set one dimension to a value. */
export function overrideOf(d: Dimension, v: number): AssumptionOverrides {
  return { [d.id]: v } as AssumptionOverrides;
}

/** A dimension's ceiling, capped by what the state's field for it holds (its record's shape). */
export function ceilingOf(d: Dimension<string>, asked?: number, list: readonly AnyAssumption[] = ASSUMPTIONS): number {
  const c = asked ?? d.ceiling;
  const shape = assumptionById(d.id, list)?.shape;
  return shape?.kind === "count" ? Math.min(c, shape.max) : c;
}
