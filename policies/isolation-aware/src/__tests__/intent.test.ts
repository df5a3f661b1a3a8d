import "reflect-metadata";
import { type Claim, checkClaims } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

const CLAIMS: readonly Claim[] = [
  {
    what: "on CPUs with PEBS isolation, perf no longer hands KVM PEBS_ENABLE: the v6.16 window is closed on Ice Lake",
    profile: "icelake-server",
    scenario: "host-pebs-v616",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
  },
  {
    what: "and the hand-off to a guest counter no longer faults the guest on Emerald Rapids (v6.16)",
    profile: "emerald-rapids",
    scenario: "handoff-guest-counter-v616",
    property: "no-guest-pf-on-host-ds",
    verdict: "holds",
  },
  {
    what: "without isolation nothing changes: the 2021 window stays open (documented)",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
