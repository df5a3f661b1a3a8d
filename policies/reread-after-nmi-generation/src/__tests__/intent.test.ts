import "reflect-metadata";
import { type Claim, checkClaims, inOrder } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

const CLAIMS: readonly Claim[] = [
  {
    what: "an NMI between perf_guest_get_msrs and the re-check makes KVM take a new snapshot: with PMIs delivered within 64 instructions and no latent assists, the exit is fresh",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
    assumptions: { pmiLatency: 64, pebsQuiescent: 0 },
  },
  {
    what: "the documented failure: a PMI delivered after the re-check and before VMRESUME (raised by a latent PEBS assist, or raised earlier and delivered late) stales the exit",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
    shows: inOrder(/^vmx_vcpu_run:recheck-perf-generation$/, /^nmi@/, /^vmx_vcpu_run:vm-entry$/),
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
