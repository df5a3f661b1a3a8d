import "reflect-metadata";
import { type Claim, checkClaims, inOrder } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

const CLAIMS: readonly Claim[] = [
  {
    what: "keeping PEBS_ENABLE on both lists means every exit reloads a snapshot: a stale bit lives at most one round trip",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "stale-bit-bounded",
    verdict: "holds",
  },
  {
    what: "it does not make an exit fresh: a PMI after the snapshot still stales the exit that loads it (documented limitation)",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
    shows: inOrder(/^atomic_switch_perf_msrs:perf_guest_get_msrs$/, /^nmi@/, /^vmx_vcpu_run:vm-entry$/),
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
