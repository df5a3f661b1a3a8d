import "reflect-metadata";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { buildCell, createRootContainer, eventIndex, withAssumptions } from "@switchlab/model";
import { NMI_RETURN_INSNS } from "@switchlab/perf";
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

describe("built-in scenarios", () => {
  it("have unique ids", () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const s of SCENARIOS) {
    it(`${s.id}: names only its own events and counters every profile has`, () => {
      for (const i of s.initial) expect(eventIndex(s, i.event)).toBeGreaterThanOrEqual(0);
      for (const a of s.activities) {
        for (const r of a.remove) expect(eventIndex(s, r)).toBeGreaterThanOrEqual(0);
        for (const x of a.add) expect(eventIndex(s, x.event)).toBeGreaterThanOrEqual(0);
      }
      const minGp = Math.min(...builtinProfiles().map((p) => p.numGp));
      const counters = [
        ...s.initial.map((i) => i.counter),
        ...s.activities.flatMap((a) => a.add.map((x) => x.counter)),
        ...s.overflows.counters,
      ];
      for (const c of counters) expect(c).toBeLessThan(minGp);
    });

    it(`${s.id}: builds a cell on every profile, starting with its events running`, () => {
      for (const p of builtinProfiles()) {
        const cell = buildCell(createRootContainer(), upstream as never, p, s);
        for (const i of s.initial) expect(cell.initial.perf.events[i.counter]).toBe(eventIndex(s, i.event) + 1);
        expect(cell.machine.actions(cell.initial).length).toBeGreaterThan(0);
      }
    });
  }
});

describe("the unknown NMIs the switch does not cause (two-counters-one-nmi)", () => {
  const row = (latency: number) => {
    const s = SCENARIOS.find((x) => x.id === "two-counters-one-nmi")!;
    const p = builtinProfiles().find((x) => x.id === "icelake-server")!;
    return runCell(
      createRootContainer(),
      upstream as never,
      p,
      withAssumptions(s, { pmiLatency: latency }),
      DEFAULT_BOUNDS,
    ).cells;
  };
  const verdict = (cells: ReturnType<typeof row>, id: string) => cells.find((c) => c.property === id)?.verdict;

  it("within NMI_RETURN_INSNS the second PMI is latched before the IRET and swallowed back to back", () => {
    const c = row(NMI_RETURN_INSNS);
    expect(verdict(c, "no-unknown-nmi")).toBe("holds");
    expect(verdict(c, "no-late-second-nmi")).toBe("holds");
  });

  it("one instruction more and it can arrive after the IRET: Uhhuh, the late second half", () => {
    const c = row(NMI_RETURN_INSNS + 1);
    expect(verdict(c, "no-unknown-nmi")).toBe("violated");
    expect(verdict(c, "no-late-second-nmi")).toBe("violated");
    const cx = c.find((x) => x.property === "no-late-second-nmi")?.counterexample;
    expect(cx?.trace.join("\n")).toContain("not back to back: not swallowed");
  });
});

describe("the suite's shared data is frozen", () => {
  it("a write to the scenario list, a scenario, or the built-in cost table throws", async () => {
    const { DEFAULT_COST_TABLE } = await import("../costs/cost-table.js");
    expect(() => (SCENARIOS as unknown[]).push({})).toThrow(TypeError);
    expect(() => ((SCENARIOS[0] as { nmiBudget: number }).nmiBudget = 0)).toThrow(TypeError);
    expect(() => ((DEFAULT_COST_TABLE.cycles as { wrmsr: number }).wrmsr = 0)).toThrow(TypeError);
    expect(() => (DEFAULT_COST_TABLE.sources as string[]).push("x")).toThrow(TypeError);
  });
});
