import type { MatrixResult } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import { renderEmail } from "../email.js";
import { renderHtml } from "../html/page.js";
import { renderJson } from "../json.js";
import { renderJunit } from "../junit.js";
import { renderMarkdown } from "../markdown.js";
import { renderText } from "../text.js";

const assumptions = {
  kernel: "v5.11",
  pmiLatency: 512,
  pebsQuiescent: 64,
  maskedPmi: "hold",
  overflows: 2,
  overflowsPerEvent: "none",
  nmis: 2,
  otherNmis: 0,
  roundTrips: 2,
  ticks: 1,
  guestWrites: 0,
} as const;

const m: MatrixResult = {
  schema: "switchlab.matrix/3",
  tool: { name: "switchlab", version: "0.2.0" },
  run: { bounds: { maxDepth: 400, maxStates: 2000000, timeLimitMs: 0 }, strategy: { kind: "bfs" }, exact: false },
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
    { id: "no-guest-pf-on-host-ds", title: "no guest #PF", symptom: "guest #PF" },
  ],
  cells: [
    {
      policy: "original",
      profile: "skl",
      scenario: "tw",
      property: "no-unknown-nmi",
      verdict: "vacuous",
      assumptions,
      states: 10,
      transitions: 12,
      complete: true,
      message: "the exploration never reached guard g: the window this scenario is about was not explored",
    },
    {
      policy: "original",
      profile: "skl",
      scenario: "tw",
      property: "stale-bit-bounded",
      verdict: "violated",
      assumptions,
      states: 10,
      transitions: 12,
      complete: true,
      counterexample: {
        actions: ["a", "b"],
        trace: ["t"],
        timeline: [],
        symptom: "PEBS_ENABLE 0x1 stale",
        reproduce: "pnpm switchlab check x",
      },
    },
    {
      policy: "original",
      profile: "skl",
      scenario: "tw",
      property: "no-guest-pf-on-host-ds",
      verdict: "unknown",
      assumptions,
      states: 10,
      transitions: 12,
      complete: false,
      message: "not every state was explored: maxStates = 10 stopped the search",
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
  it("renders the table with unknown and vacuous cells as such, the assumptions, the violations, unreached guards and skipped plugins", () => {
    expect(renderText(m)).toMatchInlineSnapshot(`
      "switchlab matrix: 1 policies x 1 profiles x 1 scenarios x 3 properties (3 cells, 1 explorations)
      explorer: breadth-first, depth <= 400, states <= 2000000, no time limit, states told apart by exact keys or 64-bit fingerprints
      fingerprints: none (no exploration stored states)

      scenario tw (v5.11): throttle window
        assumptions: kernel v5.11, PMI latency 512 insns, PEBS quiescent 64 insns, masked PMI hold, overflows 2, NMIs 2, other NMIs 0, round trips 2, ticks 1
        policy   profile unk-nmi stale guest-pf   states complete cycles/rt writes guards
        original skl     VAC     FAIL  UNK            10 yes           1160      5 0/1

      violations (1):
        original / skl / tw / stale-bit-bounded: PEBS_ENABLE 0x1 stale
          2 choices; reproduce: pnpm switchlab check x

      not proven (2 cells; neither a pass nor a violation):
        original / skl / tw: vacuous (1 properties): the exploration never reached guard g: the window this scenario is about was not explored
        original / skl / tw: unknown (1 properties): not every state was explored: maxStates = 10 stopped the search

      sometimes-guards not reached (nothing on these rows holds):
        original / skl / tw: g

      frontier: not computed for these inputs; \`pnpm switchlab matrix --frontier\` (or \`switchlab frontier\`) computes it, and later runs show it

      plugins skipped:
        /p/broken: boom

      columns:
        unk-nmi   no-unknown-nmi: every NMI is claimed
        stale     stale-bit-bounded: stale bits clear
        guest-pf  no-guest-pf-on-host-ds: no guest #PF
        ok = holds: complete within the assumptions, every guard reached, no interleaving violates it
        FAIL = violated; UNK = unknown (a bound stopped the exploration); VAC = vacuous (a guard never reached)
        n/a = not applicable; ERR = the policy failed
      "
    `);
  });

  it("renders the JSON contract of architecture.md, with a cell's fields", () => {
    const j = JSON.parse(renderJson(m));
    for (const k of ["schema", "policies", "profiles", "scenarios", "properties", "cells", "costs"])
      expect(j).toHaveProperty(k);
    expect(j.schema).toBe("switchlab.matrix/3");
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
      ...m.cells.map((c) => ({
        ...c,
        policy: "b",
        verdict: "holds" as const,
        counterexample: undefined,
        message: undefined,
      })),
    ];
    const costs = [...m.costs, { ...m.costs[0]!, policy: "b", cyclesPerRoundtrip: 2000 }];
    const text = renderText({ ...cheapBad, cells, costs }, { sortByCost: true });
    const rows = text.split("\n").filter((l) => /^ {2}(original|b) +skl/.test(l));
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(["b", "original"]);
  });
});

describe("unknown and vacuous are never drawn as a pass", () => {
  it("e-mail marks them ? and v, with the reason, and prints the assumptions", () => {
    const e = renderEmail(m);
    expect(e).toMatch(/^ {2}p1 +vX\? *$/m);
    expect(renderEmail(m, { full: true })).toMatch(/ {2}original +v {3}X {3}\? /);
    expect(e).toContain("Not proven (neither a pass nor a violation):");
    expect(e).toContain("kernel v5.11, PMI latency 512 insns");
    expect(e).not.toMatch(/original +\. +X/);
  });

  it("Markdown labels them _UNKNOWN_ and _VACUOUS_", () => {
    const md = renderMarkdown(m, { details: true });
    expect(md).toContain("| original | `vX?` |");
    expect(renderMarkdown(m, { full: true })).toContain("| original | skl | _VACUOUS_ | **FAIL** | _UNKNOWN_ |");
    expect(md).toContain("## Not proven");
  });

  it("JUnit makes each a failure of its own type with the reason", () => {
    const x = renderJunit(m);
    expect(x).toContain('type="vacuous"');
    expect(x).toContain('type="unknown"');
    expect(x).toContain('failures="3"');
    expect(x).toContain('<property name="assumptions" value="kernel v5.11, PMI latency 512 insns');
    expect(x).toContain('<testcase classname="switchlab.plugins" name="/p/broken"');
  });

  it("HTML gives them their own classes and labels, never the pass colour", () => {
    const h = renderHtml(m);
    expect(h).toMatch(/<td class="cell vacuous"[^>]*>VACUOUS<\/td>/);
    expect(h).toMatch(/<td class="cell unknown"[^>]*>UNKNOWN<\/td>/);
    expect(h).not.toMatch(/<td class="cell holds"/);
    expect(h).toContain('id="assumptions"');
  });
});
