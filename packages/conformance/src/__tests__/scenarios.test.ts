import "reflect-metadata";
import { builtinProfiles } from "@switchlab/hardware";
import { buildCell, createRootContainer, eventIndex } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
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
