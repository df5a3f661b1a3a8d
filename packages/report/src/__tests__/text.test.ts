import type { MatrixResult } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import { renderJson } from "../json.js";
import { renderText } from "../text.js";

const m: MatrixResult = {
  schema: "switchlab.matrix/1",
  policies: [
    { id: "original", title: "Upstream", upstream: { cite: "v5.11", url: "https://kernel.org" }, touches: [] },
  ],
  profiles: [
    { id: "skl", title: "Skylake", pebsNoIsolation: true, pmuVersion: 4, model: 0x55, stepping: 3, microcode: 0x20 },
  ],
  scenarios: [{ id: "tw", title: "throttle window", kernel: "v5.11", guards: ["g"] }],
  properties: [
    { id: "no-unknown-nmi", title: "every NMI is claimed", symptom: "Uhhuh" },
    { id: "stale-bit-bounded", title: "stale bits clear", symptom: "stale" },
  ],
  cells: [
    {
      policy: "original",
      profile: "skl",
      scenario: "tw",
      property: "no-unknown-nmi",
      verdict: "holds",
      states: 10,
      transitions: 12,
      complete: true,
    },
    {
      policy: "original",
      profile: "skl",
      scenario: "tw",
      property: "stale-bit-bounded",
      verdict: "violated",
      states: 10,
      transitions: 12,
      complete: true,
      counterexample: {
        actions: ["a", "b"],
        trace: ["t"],
        symptom: "PEBS_ENABLE 0x1 stale",
        reproduce: "pnpm switchlab check x",
      },
    },
  ],
  guards: [{ policy: "original", profile: "skl", scenario: "tw", guard: "g", reached: false }],
  costs: [
    {
      policy: "original",
      profile: "skl",
      scenario: "tw",
      msrWritesPerRoundtrip: 5,
      wrmsr: 1,
      entryLoads: 1,
      exitLoads: 1,
      fieldLoads: 2,
      byMsr: { GLOBAL_CTRL: 2, PEBS_ENABLE: 3 },
      cyclesPerRoundtrip: 1160,
    },
  ],
  costTable: {
    schema: "switchlab.costs/1",
    estimates: true,
    sources: ["test"],
    cycles: { baseRoundTrip: 820, wrmsr: 120, entryLoad: 90, exitLoad: 90, fieldLoad: 20 },
  },
  problems: [{ path: "/p/broken", message: "boom" }],
};

describe("text renderer", () => {
  it("renders the table, the violations with their reproduce lines, unreached guards and skipped plugins", () => {
    expect(renderText(m)).toMatchInlineSnapshot(`
      "switchlab matrix: 1 policies x 1 profiles x 1 scenarios x 2 properties (2 cells, 1 explorations)

      scenario tw (v5.11): throttle window
        policy   profile unk-nmi stale   states complete cycles/rt writes guards
        original skl     ok      FAIL        10 yes           1160      5 0/1 (vacuous?)

      violations (1):
        original / skl / tw / stale-bit-bounded: PEBS_ENABLE 0x1 stale
          2 choices; reproduce: pnpm switchlab check x

      sometimes-guards not reached (passes on these rows may be vacuous):
        original / skl / tw: g

      plugins skipped:
        /p/broken: boom

      columns:
        unk-nmi   no-unknown-nmi: every NMI is claimed
        stale     stale-bit-bounded: stale bits clear
        ok = holds on every explored interleaving; FAIL = violated; n/a = not applicable; ERR = the policy failed
      "
    `);
  });

  it("renders the JSON contract of architecture.md, with a cell's fields", () => {
    const j = JSON.parse(renderJson(m));
    for (const k of ["schema", "policies", "profiles", "scenarios", "properties", "cells", "costs"])
      expect(j).toHaveProperty(k);
    expect(j.schema).toBe("switchlab.matrix/1");
    for (const k of ["policy", "profile", "scenario", "property", "verdict", "states", "transitions", "complete"])
      expect(j.cells[0]).toHaveProperty(k);
    expect(renderJson(m).endsWith("}\n")).toBe(true);
  });
});

describe("sorting by cost", () => {
  it("puts violation-free policies first, cheapest first", () => {
    const cheapBad = {
      ...m,
      policies: [...m.policies, { id: "b", title: "b", upstream: m.policies[0]!.upstream, touches: [] }],
    };
    const cells = [
      ...m.cells,
      ...m.cells.map((c) => ({ ...c, policy: "b", verdict: "holds" as const, counterexample: undefined })),
    ];
    const costs = [...m.costs, { ...m.costs[0]!, policy: "b", cyclesPerRoundtrip: 2000 }];
    const text = renderText({ ...cheapBad, cells, costs }, { sortByCost: true });
    const rows = text.split("\n").filter((l) => /^ {2}(original|b) +skl/.test(l));
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(["b", "original"]);
  });
});
