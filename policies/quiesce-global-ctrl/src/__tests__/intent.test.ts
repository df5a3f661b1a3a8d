import "reflect-metadata";
import { type Claim, checkClaims, inOrder } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

/** After the quiesce, a PMI that reaches intel_pmu_handle_irq after the snapshot (raised before the WRMSR or by a latent PEBS assist). */
const afterSnapshot = inOrder(
  /^atomic_switch_perf_msrs:wrmsr-global-ctrl-0$/,
  /^atomic_switch_perf_msrs:perf_guest_get_msrs$/,
  /^nmi@/,
  /^vmx_vcpu_run:vm-entry$/,
);

const CLAIMS: readonly Claim[] = [
  {
    what: "the documented failure: a PMI handled after the snapshot still throttles the event, because the handler's __intel_pmu_enable_all turns the counters back on (cpuc->enabled stays 1) and a PMI raised before the quiesce, or by a latent PEBS assist after the WRMSR(0), arrives late",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
    shows: afterSnapshot,
  },
  {
    what: "it fails even when a PMI is delivered within one instruction (the re-enable path does not depend on the latency)",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
    assumptions: { pmiLatency: 1 },
  },
  {
    what: "with PEBS isolation on v5.11 nothing is handed over and it holds",
    profile: "icelake-server",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "holds",
  },
  {
    what: "but when perf's host and guest GLOBAL_CTRL are equal KVM clears the dedicated-field switch, and the patch's WRMSR(0) outlives the VM-exit: the host events perf runs count nothing",
    profile: "icelake-server",
    scenario: "two-counters-one-nmi@v7.3",
    property: "host-perf-msrs-fresh",
    verdict: "violated",
    shows: inOrder(
      /^atomic_switch_perf_msrs:wrmsr-global-ctrl-0$/,
      /^atomic_switch_perf_msrs:perf_guest_get_msrs$/,
      /^vmexit:/,
    ),
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
