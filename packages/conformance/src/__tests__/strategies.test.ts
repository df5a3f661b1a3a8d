import "reflect-metadata";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import { runCell } from "../matrix/run-cell.js";
import { SCENARIOS } from "../scenarios/index.js";

const upstream = definePolicy({
  id: "upstream-for-tests",
  title: "u",
  summary: "u",
  upstream: { cite: "v5.11", url: "https://kernel.org" },
  touches: [],
});
const skylake = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation")!;
const tw = SCENARIOS.find((s) => s.id === "throttle-window")!;
const verdicts = (r: ReturnType<typeof runCell>) => r.cells.map((c) => `${c.property}:${c.verdict}`);

describe("strategies on a real cell", () => {
  const b = runCell(createRootContainer(), upstream as never, skylake, tw, DEFAULT_BOUNDS);

  it("dfs reaches the verdicts bfs reaches, with counterexamples no shorter than bfs's", () => {
    const d = runCell(createRootContainer(), upstream as never, skylake, tw, DEFAULT_BOUNDS, undefined, {
      kind: "dfs",
    });
    expect(verdicts(d)).toEqual(verdicts(b));
    expect(d.cells[0]?.complete).toBe(true);
    for (const c of d.cells) {
      const bc = b.cells.find((x) => x.property === c.property);
      if (c.counterexample)
        expect(c.counterexample.actions.length).toBeGreaterThanOrEqual(bc?.counterexample?.actions.length ?? 0);
    }
  });

  it("random walks never claim completeness and only report what they saw", () => {
    const r = runCell(createRootContainer(), upstream as never, skylake, tw, DEFAULT_BOUNDS, undefined, {
      kind: "random",
      seed: 5,
      walks: 300,
    });
    expect(r.cells.every((c) => !c.complete)).toBe(true);
    for (const c of r.cells)
      if (c.verdict === "violated") expect(b.cells.find((x) => x.property === c.property)?.verdict).toBe("violated");
  });

  it("a scenario naming an unknown guard makes the row an error, not a crash", () => {
    const r = runCell(
      createRootContainer(),
      upstream as never,
      skylake,
      { ...tw, guards: ["no-such-guard"] },
      DEFAULT_BOUNDS,
    );
    expect(
      r.cells.every(
        (c) => c.verdict === "error" && c.message === "scenario throttle-window names an unknown guard no-such-guard",
      ),
    ).toBe(true);
  });
});
