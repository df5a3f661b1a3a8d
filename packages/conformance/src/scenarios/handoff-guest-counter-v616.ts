import type { Scenario } from "@switchlab/model";
import { handoffGuestCounter } from "./handoff-guest-counter.js";

/**
 * The hand-off to a KVM guest-counter event on the present kernel (v6.16): the NMI handler runs
 * in vmx_vcpu_enter_exit right after the VM-exit, and intel_guest_get_msrs switches PEBS_ENABLE
 * on every CPU with PEBS, isolated or not, so the throttle window is open on all profiles.
 */
export const handoffGuestCounterV616: Scenario = {
  ...handoffGuestCounter,
  id: "handoff-guest-counter-v616",
  title: "v6.16: throttled PEBS counter handed to a KVM guest-counter event",
  kernel: "v6.16",
};
