/**
 * `switchlab frontier --format json` prints one FrontierResult: for every cell of the matrix that
 * holds or is violated, how far each assumption can move before the verdict changes. Fields may
 * be added; none may be renamed.
 */
import type { Assumptions } from "@switchlab/model";
import type { Strategy } from "../strategy.js";
import type { Verdict } from "../verdict.js";
import type { Dimension, DimensionId } from "./dimensions.js";

export const FRONTIER_SCHEMA = "switchlab.frontier/1";

/**
 * Where one cell's verdict changes along one dimension, all other assumptions held.
 * - `holds`: the cell holds at `from`; searched upward to `ceiling`. `breaksAt` is the smallest
 *   value at which it is violated (with the shortest counterexample there), or absent when it
 *   holds up to `holdsUpTo` (= the ceiling when every probe was complete).
 * - `violated`: the cell is violated at `from`; searched downward to `floor`. `breaksAt` is the
 *   smallest value at which it is still violated; below it the cell holds (`holdsUpTo`), unless
 *   it is violated even at the floor.
 * - `unknownAbove`: a probe above `holdsUpTo` was stopped by a bound, so nothing is claimed past it.
 */
export interface FrontierEdge {
  readonly dimension: DimensionId;
  readonly direction: "up" | "down";
  readonly from: number;
  readonly floor: number;
  readonly ceiling: number;
  readonly breaksAt?: number;
  readonly holdsUpTo?: number;
  readonly unknownAbove?: number;
  /** Why the dimension was not searched (e.g. it is "unbounded" or "none" in this row). */
  readonly skipped?: string;
  /** At `breaksAt`: the shortest counterexample and the line that reproduces it. */
  readonly counterexample?: {
    readonly actions: readonly string[];
    readonly symptom: string;
    readonly reproduce: string;
  };
  /** Values explored for this edge: the ceiling (one minimax exploration) or each probed value. */
  readonly probes: readonly number[];
  /** How the edge was found: one minimax exploration at the ceiling, or probes one value at a time. */
  readonly method: "minimax" | "probes";
  /**
   * The search's answer contradicts the verdict at `from` (the dimension is not monotone in this
   * row after all): a model bug to report, never a result.
   */
  readonly inconsistent?: string;
}

export interface FrontierCell {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly property: string;
  /** The verdict at the row's assumptions (the matrix's). */
  readonly verdict: Verdict;
  readonly assumptions: Assumptions;
  readonly edges: readonly FrontierEdge[];
}

/** Per policy and dimension: the weakest point over the cells that hold. */
export interface FrontierSummary {
  readonly policy: string;
  readonly dimension: DimensionId;
  /** Smallest value at which a cell that holds at the defaults breaks, or absent if none breaks. */
  readonly breaksAt?: number;
  /** The cell that breaks there first (profile/scenario/property). */
  readonly where?: string;
  /** Every holding cell holds up to at least this value (the ceiling when none breaks). */
  readonly holdsUpTo: number;
  readonly ceiling: number;
  /** Holding cells searched. */
  readonly cells: number;
}

export interface FrontierResult {
  readonly schema: typeof FRONTIER_SCHEMA;
  readonly tool: { readonly name: string; readonly version: string };
  readonly run: {
    readonly bounds: { readonly maxDepth: number; readonly maxStates: number; readonly timeLimitMs: number };
    readonly strategy: Strategy;
    readonly exact: boolean;
  };
  /** The dimensions searched, each with the ceiling it was searched up to. */
  readonly dimensions: readonly Dimension[];
  readonly policies: readonly { readonly id: string; readonly title: string }[];
  /** The properties searched, when not all of them (`--property`). */
  readonly properties?: readonly string[];
  readonly cells: readonly FrontierCell[];
  readonly summary: readonly FrontierSummary[];
  /** Explorations run in all. */
  readonly explorations: number;
  readonly problems: readonly { path: string; message: string }[];
}
