import "reflect-metadata";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer, withAssumptions } from "@switchlab/model";
import { describe, expect, it } from "vitest";
import { DIMENSIONS, type DimensionId } from "../frontier/dimensions.js";
import { frontierRow } from "../frontier/run-frontier.js";
import { searchEdge } from "../frontier/search.js";
import { BFS, runCell } from "../matrix/run-cell.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIOS } from "../scenarios/index.js";
import { UPSTREAM } from "./upstream.js";

const profile = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation")!;
const dims = (ids: DimensionId[]) => DIMENSIONS.filter((d) => ids.includes(d.id));

describe("the frontier", () => {
  // One minimax exploration per dimension must give what probing value by value gives.
  const cases: { scenario: string; ceilings: Partial<Record<DimensionId, number>> }[] = [
    {
      scenario: "throttle-window",
      ceilings: { pmiLatency: 1024, pebsQuiescent: 512, overflows: 3, nmis: 3, ticks: 2 },
    },
    { scenario: "pebs-beside-sampling", ceilings: { pmiLatency: 1024, overflows: 3 } },
  ];
  for (const k of cases)
    it(`${k.scenario}: a minimax exploration at the ceiling agrees with a bisection by explorations at each value`, () => {
      const root = createRootContainer();
      const scenario = SCENARIOS.find((s) => s.id === k.scenario)!;
      const ds = dims(Object.keys(k.ceilings) as DimensionId[]);
      const r = frontierRow(root, UPSTREAM, profile, scenario, ds, k.ceilings, DEFAULT_BOUNDS, BFS, false);
      expect(r.cells.length).toBeGreaterThan(0);
      const memo = new Map<string, ReturnType<typeof runCell>["cells"]>();
      const at = (d: (typeof ds)[number], v: number) => {
        const key = `${d.id}=${v}`;
        if (!memo.has(key))
          memo.set(
            key,
            runCell(root, UPSTREAM, profile, withAssumptions(scenario, { [d.id]: v }), DEFAULT_BOUNDS, PROPERTIES)
              .cells,
          );
        return memo.get(key)!;
      };
      let compared = 0;
      for (const c of r.cells)
        for (const e of c.edges) {
          expect(e.inconsistent).toBeUndefined();
          expect(e.skipped).toBeUndefined();
          expect(e.method).toBe("minimax");
          const d = ds.find((x) => x.id === e.dimension)!;
          const probed = searchEdge(d, e.from, e.ceiling, c.verdict as "holds" | "violated", (v) =>
            at(d, v).find((x) => x.property === c.property),
          );
          expect({ cell: c.property, dim: d.id, breaksAt: e.breaksAt, holdsUpTo: e.holdsUpTo }).toEqual({
            cell: c.property,
            dim: d.id,
            breaksAt: probed.breaksAt,
            holdsUpTo: probed.holdsUpTo,
          });
          compared++;
        }
      expect(compared).toBeGreaterThan(5);
    });
});
