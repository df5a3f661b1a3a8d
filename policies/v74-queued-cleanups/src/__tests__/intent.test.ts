import "reflect-metadata";
import { PROPERTIES, runCell, SCENARIO_ROWS } from "@switchlab/conformance";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer, type ModelEnv, type World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

/** Upstream, as `original` is: a policy that changes nothing. */
const upstream = definePolicy<World, ModelEnv>({
  id: "upstream",
  title: "upstream",
  summary: "no change",
  upstream: { cite: "v7.3", url: "https://kernel.org/" },
  touches: [],
});

const verdicts = (p: typeof policy, profile: string, scenario: string) => {
  const prof = builtinProfiles().find((x) => x.id === profile)!;
  const sc = SCENARIO_ROWS.find((s) => s.id === scenario)!;
  return runCell(createRootContainer(), p, prof, sc, DEFAULT_BOUNDS, PROPERTIES).cells.map(
    (c) => `${c.property}:${c.verdict}`,
  );
};

describe(`${policy.id}: what the README says it does`, () => {
  // The rows where the cleanups' code runs: v7.3, PEBS isolation, a vCPU PMU, with and without guest PEBS.
  for (const scenario of ["guest-pebs@v7.3", "host-pebs-v616@v7.3", "handoff-guest-counter-v616@v7.3"])
    for (const profile of ["icelake-server", "emerald-rapids"])
      it(`no verdict differs from v7.3's original on ${profile} / ${scenario}`, () => {
        expect(verdicts(policy, profile, scenario)).toEqual(verdicts(upstream, profile, scenario));
      });

  it("the rows it is compared on exist and run guest PEBS (so the comparison exercises its code)", () => {
    const sc = SCENARIO_ROWS.find((s) => s.id === "guest-pebs@v7.3");
    expect(sc?.kernel).toBe("v7.3");
    expect(sc?.vcpu.kvmPmu?.pebsEnable).not.toBe(0);
  });
});
