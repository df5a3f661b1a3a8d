import type { Scenario } from "@switchlab/model";
import { fastpathReentry } from "./fastpath-reentry.js";
import { guestPebs } from "./guest-pebs.js";
import { handoffGuestCounter } from "./handoff-guest-counter.js";
import { handoffHostSampling } from "./handoff-host-sampling.js";
import { hostPebsV616 } from "./host-pebs-v616.js";
import { listsFull } from "./lists-full.js";
import { noHostPebs } from "./no-host-pebs.js";
import { throttleWindow } from "./throttle-window.js";
import { vcpuWithoutPmu } from "./vcpu-without-pmu.js";

/** The built-in scenarios, in matrix order. */
export const SCENARIOS: readonly Scenario[] = [
  throttleWindow,
  handoffGuestCounter,
  handoffHostSampling,
  fastpathReentry,
  noHostPebs,
  hostPebsV616,
  guestPebs,
  vcpuWithoutPmu,
  listsFull,
];
