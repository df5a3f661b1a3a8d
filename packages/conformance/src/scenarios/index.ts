import { deepFreeze, type Scenario } from "@switchlab/model";
import { fastpathReentry } from "./fastpath-reentry.js";
import { guestPebs } from "./guest-pebs.js";
import { handoffGuestCounter } from "./handoff-guest-counter.js";
import { handoffGuestCounterV616 } from "./handoff-guest-counter-v616.js";
import { handoffHostSampling } from "./handoff-host-sampling.js";
import { handoffHostSamplingV616 } from "./handoff-host-sampling-v616.js";
import { hostPebsV616 } from "./host-pebs-v616.js";
import { listsFull } from "./lists-full.js";
import { noHostPebs } from "./no-host-pebs.js";
import { pebsBesideSampling } from "./pebs-beside-sampling.js";
import { pebsZeroLeftV616 } from "./pebs-zero-left-v616.js";
import { throttleWindow } from "./throttle-window.js";
import { twoCountersOneNmi } from "./two-counters-one-nmi.js";
import { twoPebsEvents } from "./two-pebs-events.js";
import { vcpuWithoutPmu } from "./vcpu-without-pmu.js";

/** The built-in scenarios, in matrix order (frozen: a policy cannot change them for other rows). */
export const SCENARIOS: readonly Scenario[] = deepFreeze([
  throttleWindow,
  handoffGuestCounter,
  handoffHostSampling,
  twoPebsEvents,
  pebsBesideSampling,
  fastpathReentry,
  noHostPebs,
  hostPebsV616,
  handoffGuestCounterV616,
  handoffHostSamplingV616,
  pebsZeroLeftV616,
  guestPebs,
  vcpuWithoutPmu,
  listsFull,
  twoCountersOneNmi,
]);
