import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FrontierInput, FrontierResult } from "@switchlab/conformance";
import { canonical, type RowCache } from "./rows.js";

/**
 * Where `switchlab frontier` keeps its whole results, so that `switchlab matrix` can show each
 * policy's frontier summary without recomputing it (it costs several matrix runs): beside the
 * row cache (rows.ts), in <cache dir>/frontier, keyed the same way: the model's code and each
 * selected policy's code (code-hash.ts), and every input that reaches an exploration: the
 * policies' ids, the profiles and scenarios as data (assumptions included), the dimensions,
 * properties and ceilings, the bounds, the strategy and the storage mode. Nothing else is read,
 * so a hit is what a run with those inputs computes. (Its rows are in the row cache too, so a
 * frontier run after one policy changed explores only that policy's rows.)
 */
export function frontierKey(cache: RowCache, input: FrontierInput): string | undefined {
  const code = cache.codeOf(input.policies.map((p) => p.id));
  if (!code) return undefined;
  return createHash("sha256")
    .update(
      canonical({
        code,
        policies: input.policies.map((p) => p.id),
        profiles: input.profiles,
        scenarios: input.scenarios ?? null,
        dimensions: input.dimensions ?? null,
        properties: input.properties ?? null,
        ceilings: input.ceilings ?? {},
        bounds: input.bounds ?? null,
        strategy: input.strategy ?? null,
        exact: input.exact === true,
      }),
    )
    .digest("hex");
}

export function loadFrontier(cache: RowCache, key: string | undefined): FrontierResult | undefined {
  if (!key) return undefined;
  try {
    return JSON.parse(readFileSync(join(cache.dir, "frontier", `${key}.json`), "utf8")) as FrontierResult;
  } catch {
    return undefined;
  }
}

export function saveFrontier(cache: RowCache, key: string | undefined, f: FrontierResult): void {
  if (!key) return;
  try {
    mkdirSync(join(cache.dir, "frontier"), { recursive: true });
    cache.writeFile(join("frontier", `${key}.json`), JSON.stringify(f));
  } catch {
    // A cache that cannot be written only means the next matrix recomputes or omits the summary.
  }
}
