import { KVM_SPEC } from "@switchlab/kvm";
import type { AssumptionSpec } from "./spec.js";

/**
 * VM round trips before the vCPU stops. The rule is the run loop's (kvm run-loop.ts: after
 * vmx_exit_handlers_fastpath the guest is re-entered, and after an exit vcpu_enter_guest runs
 * again, while fewer round trips than this were taken; then vcpu_put). It is not monotone: the last round trip ends in vcpu_put, which a longer
 * run replaces by another VM-entry, so no requirement gates it and the frontier steps through its
 * values one by one.
 */
export const ROUND_TRIPS: AssumptionSpec<"roundTrips", number> = {
  id: "roundTrips",
  title: "round trips",
  unit: "",
  flag: "--max-round-trips",
  env: "SWITCHLAB_MAX_ROUND_TRIPS",
  help: "VM round trips before the vCPU stops (at least 1)",
  short: "trips",
  // The run loop's count (kvm kvm-state.ts roundTrips) holds up to MAX_ROUND_TRIPS.
  shape: { kind: "count", min: 1, max: KVM_SPEC.roundTrips.max },
  read: (sc) => sc.maxRoundTrips,
  write: (sc, v) => ({ ...sc, maxRoundTrips: v }),
  label: (v) => `round trips ${v}`,
  frontier: {
    floor: 1,
    ceiling: 4,
    monotone: false,
    why: "the last round trip ends in vcpu_put, which a longer run replaces by another VM-entry",
  },
};
