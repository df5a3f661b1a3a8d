import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FrontierInput, FrontierResult } from "@switchlab/conformance";
import { BUILD_STAMP } from "./catalog.js";
import { writeAtomic } from "./write-atomic.js";

/**
 * Where `switchlab frontier` keeps its results, so that `switchlab matrix` can show each policy's
 * frontier summary without recomputing it (it costs several matrix runs). An entry is keyed by
 * the build (the hash of every source, from the build stamp) and every input that reaches an
 * exploration: the policies' ids, the profiles and scenarios as data (assumptions included), the
 * bounds, the strategy and the storage mode. Nothing else is read, so a hit is what a run with
 * those inputs computes.
 */
export const FRONTIER_CACHE = "node_modules/.cache/switchlab/frontier";

async function buildHash(root: string): Promise<string | undefined> {
  try {
    const s = JSON.parse(await readFile(join(root, BUILD_STAMP), "utf8"));
    return typeof s.hash === "string" ? s.hash : undefined;
  } catch {
    return undefined;
  }
}

/** The cache key of a frontier input, or undefined when there is no build stamp to tie it to. */
export async function frontierKey(root: string, input: FrontierInput): Promise<string | undefined> {
  const build = await buildHash(root);
  if (!build) return undefined;
  const h = createHash("sha256");
  h.update(
    JSON.stringify({
      build,
      policies: input.policies.map((p) => p.id),
      profiles: input.profiles,
      scenarios: input.scenarios,
      dimensions: input.dimensions ?? null,
      properties: input.properties ?? null,
      ceilings: input.ceilings ?? {},
      bounds: input.bounds,
      strategy: input.strategy,
      exact: input.exact === true,
    }),
  );
  return h.digest("hex").slice(0, 32);
}

export async function loadFrontier(root: string, key: string | undefined): Promise<FrontierResult | undefined> {
  if (!key) return undefined;
  try {
    return JSON.parse(await readFile(join(root, FRONTIER_CACHE, `${key}.json`), "utf8")) as FrontierResult;
  } catch {
    return undefined;
  }
}

export async function saveFrontier(root: string, key: string | undefined, f: FrontierResult): Promise<void> {
  if (!key) return;
  try {
    await mkdir(join(root, FRONTIER_CACHE), { recursive: true });
    await writeAtomic(join(root, FRONTIER_CACHE, `${key}.json`), JSON.stringify(f));
  } catch {
    // A cache that cannot be written only means the next matrix recomputes or omits the summary.
  }
}
