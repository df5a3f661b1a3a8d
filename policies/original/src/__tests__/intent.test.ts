import "reflect-metadata";
import { type Claim, checkClaims, inOrder } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

/** What the upstream code does, as the README's "What it is meant to guarantee" states it. */
const CLAIMS: readonly Claim[] = [
  {
    what: "without PEBS isolation, a PMI between perf_guest_get_msrs and VM-entry leaves PEBS_ENABLE stale after the exit (the 2021 report)",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
    shows: inOrder(/^atomic_switch_perf_msrs:perf_guest_get_msrs$/, /^nmi@/, /^vmx_vcpu_run:vm-entry$/),
  },
  {
    what: "the stale bit faults the guest at the host DS_AREA + 0x38 once the counter backs a KVM guest counter",
    profile: "skylake-server-no-isolation",
    scenario: "handoff-guest-counter",
    property: "no-guest-pf-on-host-ds",
    verdict: "violated",
  },
  {
    what: "with PEBS isolation, v5.11 hands KVM no PEBS_ENABLE, and the window is closed",
    profile: "icelake-server",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
  },
  {
    what: "v6.16 hands KVM PEBS_ENABLE on every CPU with PEBS, so the window is open on Ice Lake as well",
    profile: "icelake-server",
    scenario: "host-pebs-v616",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
