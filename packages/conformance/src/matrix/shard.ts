import type { MatrixResult } from "./contract.js";
import { type Row, rowKey } from "./row.js";

/** Shards that cannot be joined; the message names what differs or is missing. */
export class MergeError extends Error {}

/** The fields every shard of one matrix must share, in the order the matrix prints them. */
const SHARED = [
  "schema",
  "tool",
  "run",
  "policies",
  "profiles",
  "scenarios",
  "properties",
  "costTable",
  "problems",
] as const;

/** Parse a shard count `i/n` (1 <= i <= n); undefined for anything else. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/**
 * Join the outputs of `matrix --shard i/n` for every i into the matrix one unsharded run gives,
 * byte for byte once rendered: the same inputs, the cells, guards and costs back in matrix
 * order. Shards of different inputs (policies, profiles, scenarios, properties, bounds, strategy,
 * cost table, skipped plugins, tool version), a missing or repeated shard, or a plain matrix are
 * refused with one line.
 */
export function mergeShards(parts: readonly { readonly name: string; readonly m: MatrixResult }[]): MatrixResult {
  if (!parts.length) throw new MergeError("no shards to merge");
  const first = parts[0] as { name: string; m: MatrixResult };
  for (const p of parts) {
    if (!p.m.shard)
      throw new MergeError(`${p.name} is not a shard (it has no "shard" field): run matrix --shard i/n --format json`);
    for (const f of SHARED) {
      if (JSON.stringify(p.m[f]) !== JSON.stringify(first.m[f]))
        throw new MergeError(`${p.name} and ${first.name} are shards of different runs: their "${f}" differs`);
    }
  }
  const count = (first.m.shard as { count: number }).count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const s = p.m.shard as { index: number; count: number };
    if (s.count !== count)
      throw new MergeError(`${p.name} is shard ${s.index}/${s.count}, but ${first.name} is one of ${count}`);
    const other = seen.get(s.index);
    if (other) throw new MergeError(`${p.name} and ${other} are both shard ${s.index}/${count}`);
    seen.set(s.index, p.name);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new MergeError(
      `shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} missing`,
    );

  // Rebuild matrix order (policy, then profile, then scenario): exploration k is in shard
  // k % count + 1 (inShard, run-matrix.ts), and each shard lists its own in order.
  const m0 = first.m;
  const byShard = new Map(parts.map((p) => [(p.m.shard as { index: number }).index, p.m]));
  const group = <T extends Row>(xs: readonly T[]) => {
    const g = new Map<string, T[]>();
    for (const x of xs) {
      const k = rowKey(x);
      let l = g.get(k);
      if (!l) g.set(k, (l = []));
      l.push(x);
    }
    return g;
  };
  const cells = new Map([...byShard].map(([i, m]) => [i, group(m.cells)]));
  const guards = new Map([...byShard].map(([i, m]) => [i, group(m.guards)]));
  const costs = new Map([...byShard].map(([i, m]) => [i, group(m.costs)]));
  const order: { ordinal: number; k: string }[] = [];
  for (const p of m0.policies)
    for (const h of m0.profiles)
      for (const sc of m0.scenarios)
        order.push({ ordinal: order.length, k: rowKey({ policy: p.id, profile: h.id, scenario: sc.id }) });
  const pick = <T>(g: Map<number, Map<string, T[]>>, o: { ordinal: number; k: string }) =>
    g.get((o.ordinal % count) + 1)?.get(o.k) ?? [];
  const out: MatrixResult = {
    schema: m0.schema,
    tool: m0.tool,
    run: m0.run,
    policies: m0.policies,
    profiles: m0.profiles,
    scenarios: m0.scenarios,
    properties: m0.properties,
    cells: order.flatMap((o) => pick(cells, o)),
    guards: order.flatMap((o) => pick(guards, o)),
    costs: order.flatMap((o) => pick(costs, o)),
    costTable: m0.costTable,
    problems: m0.problems,
  };
  const expectCells = parts.reduce((n, p) => n + p.m.cells.length, 0);
  if (out.cells.length !== expectCells)
    throw new MergeError("a shard holds cells of explorations that belong to another shard");
  return out;
}
