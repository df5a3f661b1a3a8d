import type { Strategy } from "@switchlab/conformance";
import { type Bounds, DEFAULT_BOUNDS } from "@switchlab/explorer";
import type { Scenario } from "@switchlab/model";
import { UsageError } from "./io.js";

/** The plural of an id kind, for messages. */
export function plural(kind: string): string {
  return kind === "policy" ? "policies" : kind === "property" ? "properties" : `${kind}s`;
}

/** Pick the items named in a comma list, or all of them; an unknown id is a usage error listing the valid ones. */
export function selectIds<T extends { id: string }>(kind: string, all: readonly T[], list: string | undefined): T[] {
  if (list === undefined || list === "") return [...all];
  const ids = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.map((id) => {
    const x = all.find((a) => a.id === id);
    if (!x)
      throw new UsageError(
        `unknown ${kind} '${id}'; valid ${plural(kind)}: ${all.map((a) => a.id).join(", ") || "(none)"}`,
      );
    return x;
  });
}

/** The explorer's bounds as the CLI sets them: option, environment variable, default. */
const BOUND_SOURCES: readonly { key: keyof Bounds; option?: string; env: string }[] = [
  { key: "maxDepth", option: "max-depth", env: "SWITCHLAB_MAX_DEPTH" },
  { key: "maxStates", option: "max-states", env: "SWITCHLAB_MAX_STATES" },
  { key: "timeLimitMs", env: "SWITCHLAB_TIME_LIMIT_MS" },
];

/** Bounds: the defaults, then the environment, then --max-depth / --max-states. */
export function boundsFrom(values: Record<string, string | boolean | undefined>): Bounds {
  const out: Record<keyof Bounds, number> = { ...DEFAULT_BOUNDS };
  for (const b of BOUND_SOURCES) {
    const env = process.env[b.env];
    const opt = b.option ? values[b.option] : undefined;
    const raw = typeof opt === "string" ? opt : env !== undefined && env !== "" ? env : undefined;
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw.trim()))
      throw new UsageError(
        `${typeof opt === "string" ? `--${b.option}` : b.env} must be a non-negative integer, got '${raw}'`,
      );
    out[b.key] = Number(raw);
  }
  return out;
}

export function oneOf(name: string, value: string | undefined, allowed: readonly string[]): string {
  const v = value ?? allowed[0]!;
  if (!allowed.includes(v)) throw new UsageError(`unknown ${name} '${v}'; valid: ${allowed.join(", ")}`);
  return v;
}

/** Options of the commands that explore rows (matrix, check): which rows, and where the result goes. */
export const ROW_OPTIONS = {
  policy: { type: "string" },
  profile: { type: "string" },
  scenario: { type: "string" },
  format: { type: "string" },
  "profile-file": { type: "string" },
  out: { type: "string" },
  "fail-on": { type: "string" },
} as const;

export const BOUND_OPTIONS = {
  "max-depth": { type: "string" },
  "max-states": { type: "string" },
  "max-nmis": { type: "string" },
  "max-round-trips": { type: "string" },
  strategy: { type: "string" },
  seed: { type: "string" },
  walks: { type: "string" },
} as const;

function count(name: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}

/** --strategy bfs|dfs|random [--seed N] [--walks N]. */
export function strategyFrom(values: { strategy?: string; seed?: string; walks?: string }): Strategy {
  const kind = oneOf("strategy", values.strategy, ["bfs", "dfs", "random"]);
  if (kind === "random")
    return { kind, seed: count("seed", values.seed, 1), walks: count("walks", values.walks, 1000) };
  if (values.seed !== undefined || values.walks !== undefined)
    throw new UsageError("--seed and --walks go with --strategy random");
  return { kind: kind as "bfs" | "dfs" };
}

/**
 * Scenario bounds: --max-nmis / SWITCHLAB_MAX_NMIS (PMIs delivered per run) and
 * --max-round-trips / SWITCHLAB_MAX_ROUND_TRIPS (VM round trips before the vCPU stops) replace
 * the scenario's own values when given. They change the explored space, so recorded state
 * counts no longer apply.
 */
export function withBudgets(s: Scenario, values: { "max-nmis"?: string; "max-round-trips"?: string }): Scenario {
  const nmis = values["max-nmis"] ?? process.env.SWITCHLAB_MAX_NMIS;
  const trips = values["max-round-trips"] ?? process.env.SWITCHLAB_MAX_ROUND_TRIPS;
  return {
    ...s,
    ...(nmis !== undefined && nmis !== "" ? { nmiBudget: count("max-nmis", nmis, s.nmiBudget) } : {}),
    ...(trips !== undefined && trips !== "" ? { maxRoundTrips: count("max-round-trips", trips, s.maxRoundTrips) } : {}),
  };
}
