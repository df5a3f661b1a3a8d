import { describe, expect, it } from "vitest";
import { answerOf, sharedFailures } from "../answer/answer.js";
import type { MatrixCell, MatrixResult } from "../matrix/contract.js";

/** A matrix of hand-made cells: the answer is counted from cells only, so a few suffice. */
function matrix(cells: [string, string, string, string, MatrixCell["verdict"], number?][]): MatrixResult {
  const policies = [...new Set(cells.map((c) => c[0]))];
  return {
    schema: "switchlab.matrix/3",
    tool: { name: "switchlab", version: "test" },
    run: { bounds: { maxDepth: 1, maxStates: 1, timeLimitMs: 0 }, strategy: { kind: "bfs" }, exact: false },
    policies: policies.map((id) => ({ id, title: id, upstream: { cite: "", url: "" }, touches: [] })),
    profiles: [
      { id: "noiso", title: "", pebsNoIsolation: true, pmuVersion: 4, model: 0, stepping: 0, microcode: 0 },
      { id: "iso", title: "", pebsNoIsolation: false, pmuVersion: 5, model: 0, stepping: 0, microcode: 0 },
    ],
    scenarios: [
      { id: "race", title: "", kernel: "v5.11", switchPath: "msr-lists", guards: [] },
      { id: "race@v7.3", title: "", kernel: "v7.3", switchPath: "msr-lists", guards: [] },
      { id: "med", title: "", kernel: "v7.3", switchPath: "mediated", guards: [] },
    ],
    properties: [],
    cells: cells.map(([policy, profile, scenario, property, verdict, len]) => ({
      policy,
      profile,
      scenario,
      property,
      verdict,
      assumptions: {} as MatrixCell["assumptions"],
      states: 1,
      transitions: 1,
      complete: true,
      ...(verdict === "violated"
        ? {
            counterexample: {
              actions: Array.from({ length: len ?? 3 }, () => "a"),
              trace: [],
              timeline: [],
              symptom: "s",
              reproduce: `pnpm switchlab check --policy ${policy}`,
            },
          }
        : {}),
    })),
    guards: [],
    costs: policies.map((policy, i) => ({
      policy,
      profile: "noiso",
      scenario: "race",
      msrWritesPerRoundtrip: 4 + i,
      wrmsr: 0,
      entryLoads: 0,
      exitLoads: 0,
      fieldLoads: 0,
      byMsr: {},
      cyclesPerRoundtrip: 1000 + 100 * i,
    })),
    costTable: {} as MatrixResult["costTable"],
    problems: [],
  };
}

const RACE = "host-pebs-enable-fresh";
const OTHER = "no-unknown-nmi";

describe("the answer: which candidate closes the race, what it breaks, what every policy shares", () => {
  const m = matrix([
    ["original", "noiso", "race", RACE, "violated"],
    ["original", "noiso", "race@v7.3", RACE, "violated"],
    ["original", "iso", "race", RACE, "holds"],
    ["original", "noiso", "med", OTHER, "violated", 5],
    ["fixes", "noiso", "race", RACE, "holds"],
    ["fixes", "noiso", "race@v7.3", RACE, "holds"],
    ["fixes", "iso", "race", RACE, "holds"],
    ["fixes", "noiso", "med", OTHER, "violated"],
    ["breaks", "noiso", "race", RACE, "holds"],
    ["breaks", "noiso", "race@v7.3", RACE, "violated"],
    ["breaks", "iso", "race", RACE, "violated", 7],
    ["breaks", "noiso", "med", OTHER, "violated"],
  ]);
  const a = answerOf(m);
  const by = (id: string) => a.candidates.find((c) => c.policy === id)!;
  const race = (id: string) => by(id).groups.map((g) => `${g.kernel} ${g.cpu}: ${g.race}+${g.breaks}`);

  it("groups cells by kernel and CPU class (the mediated vPMU its own), in kernel order", () => {
    expect(a.groups).toEqual([
      { kernel: "v5.11", cpu: "no-isolation" },
      { kernel: "v5.11", cpu: "isolation" },
      { kernel: "v7.3", cpu: "no-isolation" },
      { kernel: "v7.3", cpu: "mediated" },
    ]);
  });

  it("closed where every race cell original fails holds; absent where original fails none", () => {
    expect(race("fixes")).toEqual([
      "v5.11 no-isolation: closed+0",
      "v5.11 isolation: absent+0",
      "v7.3 no-isolation: closed+0",
      "v7.3 mediated: absent+0",
    ]);
    expect(by("fixes").standing).toBe("closes-race-breaks-nothing");
  });

  it("a cell the candidate fails and original passes is the candidate's breakage, with its counterexample", () => {
    expect(race("breaks")).toEqual([
      "v5.11 no-isolation: closed+0",
      "v5.11 isolation: absent+1",
      "v7.3 no-isolation: open+0",
      "v7.3 mediated: absent+0",
    ]);
    expect(by("breaks").standing).toBe("race-open");
    expect(by("breaks").breakages).toHaveLength(1);
    expect(by("breaks").breakages[0]).toMatchObject({ property: RACE, cells: 1 });
    expect(by("breaks").breakages[0]?.example.counterexample?.actions).toHaveLength(7);
  });

  it("a row every policy fails is a shared finding, reported once with original's cell, not a breakage", () => {
    expect([...sharedFailures(m)]).toEqual([`noiso\u0000med\u0000${OTHER}`]);
    expect(a.shared).toHaveLength(1);
    expect(a.shared[0]).toMatchObject({ property: OTHER, scenarios: ["med"], cells: 1 });
    expect(a.shared[0]?.example.policy).toBe("original");
  });

  it("orders candidates: closes and breaks nothing first, original last; costs against original's", () => {
    expect(a.candidates.map((c) => c.policy)).toEqual(["fixes", "breaks", "original"]);
    expect(by("fixes").cost).toEqual({ cycles: 1100, writes: 5, deltaCycles: 100, deltaWrites: 1 });
    expect(by("original").cost).toEqual({ cycles: 1000, writes: 4 });
  });

  it("without original in the run there is no baseline and nothing is shared", () => {
    const alone = matrix([["fixes", "noiso", "race", RACE, "violated"]]);
    expect(answerOf(alone).baseline).toBe(false);
    expect(sharedFailures(alone).size).toBe(0);
  });
});
