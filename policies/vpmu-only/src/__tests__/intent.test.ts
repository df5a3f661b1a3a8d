import "reflect-metadata";
import { type Claim, checkClaims } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

const CLAIMS: readonly Claim[] = [
  {
    what: "the documented failure (why it was reverted in 2020): with no virtual PMU the switch is skipped, host PEBS stays on into the guest and a PEBS assist faults it at the host DS_AREA + 0x38",
    profile: "skylake-server-no-isolation",
    scenario: "vcpu-without-pmu",
    property: "no-guest-pf-on-host-ds",
    verdict: "violated",
  },
  {
    what: "with a virtual PMU it does what upstream does",
    profile: "icelake-server",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
