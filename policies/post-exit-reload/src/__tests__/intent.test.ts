import "reflect-metadata";
import { type Claim, checkClaims } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

const RACES = [
  "throttle-window",
  "handoff-guest-counter",
  "handoff-host-sampling",
  "two-pebs-events",
  "fastpath-reentry",
  "host-pebs-v616",
  "handoff-guest-counter-v616",
  "handoff-host-sampling-v616",
  "pebs-zero-left-v616",
];
const GUARANTEES = ["host-pebs-enable-fresh", "stale-bit-bounded", "no-guest-pf-on-host-ds", "no-pebs-with-int"];

/** Every race scenario, on a CPU without and one with PEBS isolation, for each property the patch is about. */
const CLAIMS: readonly Claim[] = [
  ...["skylake-server-no-isolation", "icelake-server"].flatMap((profile) =>
    RACES.flatMap((scenario) =>
      GUARANTEES.map((property) => ({
        what: `${profile} / ${scenario}: ${property} holds`,
        profile,
        scenario,
        property,
        verdict: "holds" as const,
      })),
    ),
  ),
  {
    what: "it does not help when the autoload lists are full (documented: another bug)",
    profile: "skylake-server-no-isolation",
    scenario: "lists-full",
    property: "switch-lists-fit",
    verdict: "violated",
  },
];

describe(`${policy.id}: after every VM-exit PEBS_ENABLE is rewritten from cpuc->pebs_enabled`, () => {
  it("every race scenario keeps PEBS_ENABLE fresh, bounded, out of the guest and off INT counters", () => {
    expect(checkClaims(policy, CLAIMS)).toEqual([]);
  });
});
