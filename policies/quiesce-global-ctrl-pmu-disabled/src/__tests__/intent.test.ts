import "reflect-metadata";
import { type Claim, checkClaims } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

const CLAIMS: readonly Claim[] = [
  {
    what: "with PEBS isolation the host's GLOBAL_CTRL is perf's after every exit, where the variant without cpuc->enabled = 0 leaves it 0 when host and guest values match (v5.11)",
    profile: "icelake-server",
    scenario: "throttle-window",
    property: "host-perf-msrs-fresh",
    verdict: "holds",
  },
  {
    what: "and on v7.3",
    profile: "emerald-rapids",
    scenario: "throttle-window@v7.3",
    property: "host-perf-msrs-fresh",
    verdict: "holds",
  },
  {
    what: "without isolation a bit throttled after the snapshot still survives: intel_pmu_enable_all writes PEBS_ENABLE only if cpuc->pebs_enabled is non-zero (intel_pmu_pebs_enable_all)",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
