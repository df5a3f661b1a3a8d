/**
 * Exploration bounds. Each has a default and a hint for when it is hit; hitting one stops
 * cleanly, and the result says which bound and `complete: false`. How a user sets them
 * (options, environment variables) is the caller's business.
 */
export interface Bounds {
  /** Longest path explored (choices from an initial state). */
  readonly maxDepth: number;
  /** Most distinct states. */
  readonly maxStates: number;
  /** Wall-clock limit in milliseconds; 0 = none. Off by default: it makes results depend on the machine. */
  readonly timeLimitMs: number;
}

export const DEFAULT_BOUNDS: Bounds = { maxDepth: 400, maxStates: 2_000_000, timeLimitMs: 0 };

/** What usually causes each bound to be hit. */
export const BOUND_HINT = {
  maxDepth:
    "a path longer than this exists: the scenario's budgets (overflows, NMIs, round trips) are too loose, or a policy loops",
  maxStates: "the scenario's state space is larger than this: tighten its budgets or raise the bound",
  timeLimitMs: "the exploration took longer than this",
} as const;

export type BoundName = keyof typeof BOUND_HINT;
