import "reflect-metadata";
import { type Claim, checkClaims, inOrder } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

/** The 2021 seed's interleaving up to the PEBS_ENABLE store, then the PMI after the store. */
const PMI_AFTER_STORE = [
  "vcpu_enter_guest:local_irq_disable",
  "vmx_vcpu_run:reenter_guest",
  "atomic_switch_perf_msrs:perf_guest_get_msrs",
  "atomic_switch_perf_msrs:for-each-msr(GLOBAL_CTRL)",
  "add_atomic_switch_msr:store(GLOBAL_CTRL)",
  "atomic_switch_perf_msrs:for-each-msr(PEBS_ENABLE)",
  "overflow0@add_atomic_switch_msr:wrmsr-pebs-enable-0",
  "add_atomic_switch_msr:wrmsr-pebs-enable-0",
  "add_atomic_switch_msr:store(PEBS_ENABLE)",
  "nmi@atomic_switch_perf_msrs:for-each-msr(end)",
  "atomic_switch_perf_msrs:for-each-msr(end)",
  "vmx_vcpu_run:after-perf-switch",
  "vmx_vcpu_run:update_hv_timer",
  "vmx_vcpu_run:spec_ctrl",
  "vmx_vcpu_enter_exit:guest_state_enter_irqoff",
  "vmx_vcpu_run:vm-entry",
  "vmexit:slow@guest",
  "vmx_vcpu_run:vmx_exit_handlers_fastpath",
  "vcpu_enter_guest:handle_exit_irqoff",
  "vcpu_enter_guest:local_irq_enable",
];

const CLAIMS: readonly Claim[] = [
  {
    what: "a PMI after add_atomic_switch_msr's store is fixed in the exit slot: the exit loads the fresh value",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    replay: PMI_AFTER_STORE,
    symptoms: [],
  },
  {
    what: "the documented failure: a PMI between perf_guest_get_msrs and the store lets the store write the stale snapshot afterwards",
    profile: "skylake-server-no-isolation",
    scenario: "throttle-window",
    property: "host-pebs-enable-fresh",
    verdict: "violated",
    shows: inOrder(
      /^atomic_switch_perf_msrs:perf_guest_get_msrs$/,
      /^nmi@/,
      /^add_atomic_switch_msr:store\(PEBS_ENABLE\)$/,
    ),
  },
];

describe(`${policy.id}: what the README says it does`, () => {
  for (const c of CLAIMS) it(c.what, () => expect(checkClaims(policy, [c])).toEqual([]));
});
