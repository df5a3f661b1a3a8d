import { BoundError, type Bounds, resolveBounds } from "@switchlab/explorer";
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

/** Bounds from the environment, then --max-depth / --max-states. */
export function boundsFrom(values: { "max-depth"?: string; "max-states"?: string }): Bounds {
  const env: Record<string, string | undefined> = { ...process.env };
  if (values["max-depth"] !== undefined) env.SWITCHLAB_MAX_DEPTH = values["max-depth"];
  if (values["max-states"] !== undefined) env.SWITCHLAB_MAX_STATES = values["max-states"];
  try {
    return resolveBounds({}, env);
  } catch (e) {
    if (e instanceof BoundError) {
      throw new UsageError(
        e.message
          .replace("SWITCHLAB_MAX_DEPTH", "--max-depth / SWITCHLAB_MAX_DEPTH")
          .replace("SWITCHLAB_MAX_STATES", "--max-states / SWITCHLAB_MAX_STATES"),
      );
    }
    throw e;
  }
}

export function oneOf(name: string, value: string | undefined, allowed: readonly string[]): string {
  const v = value ?? allowed[0]!;
  if (!allowed.includes(v)) throw new UsageError(`unknown ${name} '${v}'; valid: ${allowed.join(", ")}`);
  return v;
}

export const BOUND_OPTIONS = {
  "max-depth": { type: "string" },
  "max-states": { type: "string" },
} as const;
