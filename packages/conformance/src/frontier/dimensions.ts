import { MAX_QUIESCENT, MAX_WINDOW } from "@switchlab/hardware";
import { ASSUMPTION_MAX, type AssumptionOverrides, type Assumptions } from "@switchlab/model";
import { ASSUMPTION_FLAG } from "../matrix/run-cell.js";

/** An assumption the frontier widens (or narrows) alone, the others held at the row's values. */
export type DimensionId = keyof Omit<Assumptions, "kernel">;

export interface Dimension {
  readonly id: DimensionId;
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

/**
 * The dimensions, in report order. PMI latency and the quiescent period only add choices as they
 * grow (a PMI may still be delivered early; a latent assist need not happen); so do the budgets.
 * Round trips are not monotone: the last round trip ends in vcpu_put, which a longer run replaces
 * by another entry, so the search steps through them one by one.
 */
export const DIMENSIONS: readonly Dimension[] = [
  {
    id: "pmiLatency",
    option: ASSUMPTION_FLAG.pmiLatency,
    title: "PMI latency",
    unit: "insns",
    floor: 1,
    ceiling: 8192,
    monotone: true,
    why: "a larger bound lets a PMI wait longer, and still be delivered early",
  },
  {
    id: "pebsQuiescent",
    option: ASSUMPTION_FLAG.pebsQuiescent,
    title: "PEBS quiescent period",
    unit: "insns",
    floor: 0,
    ceiling: 4096,
    monotone: true,
    why: "a longer period lets a latent assist come later, and it need not come at all",
  },
  {
    id: "overflows",
    option: ASSUMPTION_FLAG.overflows,
    title: "overflows",
    unit: "",
    floor: 0,
    ceiling: 4,
    monotone: true,
    why: "a budget need not be spent",
  },
  {
    id: "overflowsPerEvent",
    option: ASSUMPTION_FLAG.overflowsPerEvent,
    title: "overflows per event",
    unit: "",
    floor: 1,
    ceiling: 4,
    monotone: true,
    why: "a cap need not be reached",
  },
  {
    id: "nmis",
    option: ASSUMPTION_FLAG.nmis,
    title: "NMIs",
    unit: "",
    floor: 0,
    ceiling: 4,
    monotone: true,
    why: "a budget need not be spent",
  },
  {
    id: "roundTrips",
    option: ASSUMPTION_FLAG.roundTrips,
    title: "round trips",
    unit: "",
    floor: 1,
    ceiling: 4,
    monotone: false,
    why: "the last round trip ends in vcpu_put, which a longer run replaces by another VM-entry",
  },
  {
    id: "ticks",
    option: ASSUMPTION_FLAG.ticks,
    title: "ticks",
    unit: "",
    floor: 0,
    ceiling: 2,
    monotone: true,
    why: "a budget need not be spent",
  },
];

/** The dimension's value in a row's assumptions, or undefined when it has none to search from ("unbounded", "none"). */
export function dimensionValue(a: Assumptions, d: Dimension): number | undefined {
  const v = a[d.id];
  return typeof v === "number" ? v : undefined;
}

/** The overrides that set one dimension to a value. */
export function overrideOf(d: Dimension, v: number): AssumptionOverrides {
  return { [d.id]: v } as AssumptionOverrides;
}

/** A dimension's ceiling, capped by what the state's fields hold. */
export function ceilingOf(d: Dimension, asked?: number): number {
  const c = asked ?? d.ceiling;
  const max = d.id === "pmiLatency" ? MAX_WINDOW - 1 : d.id === "pebsQuiescent" ? MAX_QUIESCENT : ASSUMPTION_MAX[d.id];
  return max === undefined ? c : Math.min(c, max);
}
