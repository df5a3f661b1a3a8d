/**
 * Exploration bounds. Each has a default, an environment override, and a hint for when it is
 * hit; hitting one stops cleanly and the result says which and `complete: false`.
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

/** Names of the bounds as results report them, with their environment variables and hints. */
export const BOUND_INFO = {
  maxDepth: {
    env: "SWITCHLAB_MAX_DEPTH",
    hint: "a path longer than this exists: the scenario's budgets (overflows, NMIs, round trips) are too loose, or a policy loops",
  },
  maxStates: {
    env: "SWITCHLAB_MAX_STATES",
    hint: "the scenario's state space is larger than this: tighten its budgets or raise the bound",
  },
  timeLimitMs: { env: "SWITCHLAB_TIME_LIMIT_MS", hint: "the exploration took longer than this" },
} as const;

export type BoundName = keyof typeof BOUND_INFO;

/** A bound value that is not a non-negative integer. */
export class BoundError extends Error {}

function parseBound(name: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new BoundError(`${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}

/** Defaults, then environment overrides, then explicit overrides. */
export function resolveBounds(
  overrides: Partial<Bounds> = {},
  env: Record<string, string | undefined> = process.env,
): Bounds {
  const out: Record<string, number> = { ...DEFAULT_BOUNDS };
  for (const [k, info] of Object.entries(BOUND_INFO)) {
    const raw = env[info.env];
    if (raw !== undefined && raw !== "") out[k] = parseBound(info.env, raw);
  }
  return { ...(out as unknown as Bounds), ...overrides };
}
