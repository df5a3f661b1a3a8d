import "reflect-metadata";
import { type Claim, checkClaims, DEFAULT_COST_TABLE, measureCost, SCENARIOS } from "@switchlab/conformance";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer, type Policy } from "@switchlab/model";
import isolationAware from "@switchlab/policy-isolation-aware";
import postExitReload from "@switchlab/policy-post-exit-reload";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

/** MSR traffic of one steady-state round trip (the ledger's counts, as the matrix's costs). */
function costOf(p: Policy, profile: string, scenario: string) {
  return measureCost(
    createRootContainer(),
    p,
    builtinProfiles().find((x) => x.id === profile)!,
    SCENARIOS.find((s) => s.id === scenario)!,
    DEFAULT_COST_TABLE,
  );
}

const CLAIMS: readonly Claim[] = [
  {
    what: "without isolation the post-exit reload closes the 2021 window",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
  },
  {
    what: "with isolation on v6.16 perf hands KVM no PEBS_ENABLE, so the window is closed there too",
    profile: "icelake-server",
    scenario: "host-pebs-v616",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));

  it("pays for the reload only where the switch remains: no extra WRMSR per round trip with isolation", () => {
    expect(costOf(policy as never, "icelake-server", "host-pebs-v616").wrmsr).toBe(
      costOf(isolationAware as never, "icelake-server", "host-pebs-v616").wrmsr,
    );
    expect(costOf(policy as never, "skylake-server-no-isolation", "throttle-window").wrmsr).toBe(
      costOf(postExitReload as never, "skylake-server-no-isolation", "throttle-window").wrmsr,
    );
  });
});
