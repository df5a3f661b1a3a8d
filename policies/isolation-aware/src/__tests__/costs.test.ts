import "reflect-metadata";
import { DEFAULT_COST_TABLE, measureCost, SCENARIOS } from "@switchlab/conformance";
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
  upstream: { cite: "v6.16", url: "https://kernel.org/" },
  touches: [],
});

const emr = builtinProfiles().find((p) => p.id === "emerald-rapids")!;
const writes = (p: typeof policy, scenario: string) =>
  measureCost(createRootContainer(), p, emr, SCENARIOS.find((s) => s.id === scenario)!, DEFAULT_COST_TABLE);

describe("the MSR writes the 2026 series says it saves per round trip (Emerald Rapids, fastpath exit), from the ledger", () => {
  it("a vCPU without guest PEBS, host PEBS on: 7 (DS_AREA and PEBS_DATA_CFG on both lists, PEBS_ENABLE on both lists, the zeroing WRMSR)", () => {
    const a = writes(upstream, "host-pebs-v616");
    const b = writes(policy, "host-pebs-v616");
    expect(a.msrWritesPerRoundtrip - b.msrWritesPerRoundtrip).toBe(7);
    expect(a.byMsr).toMatchObject({ DS_AREA: 2, PEBS_DATA_CFG: 2, PEBS_ENABLE: 3 });
    expect(b.byMsr).not.toHaveProperty("PEBS_ENABLE");
  });

  it("a vCPU with guest PEBS: 3 (PEBS_ENABLE on both lists and the zeroing WRMSR)", () => {
    const a = writes(upstream, "guest-pebs");
    const b = writes(policy, "guest-pebs");
    expect(a.msrWritesPerRoundtrip - b.msrWritesPerRoundtrip).toBe(3);
    expect((a.byMsr.PEBS_ENABLE ?? 0) - (b.byMsr.PEBS_ENABLE ?? 0)).toBe(3);
  });

  it("no host PEBS: DS_AREA on both lists, 2", () => {
    expect(
      writes(upstream, "no-host-pebs").msrWritesPerRoundtrip - writes(policy, "no-host-pebs").msrWritesPerRoundtrip,
    ).toBe(2);
  });
});
