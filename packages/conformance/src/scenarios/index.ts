import type { Scenario } from "@switchlab/model";
import { handoffGuestCounter } from "./handoff-guest-counter.js";
import { handoffHostSampling } from "./handoff-host-sampling.js";
import { throttleWindow } from "./throttle-window.js";

/** The built-in scenarios, in matrix order. */
export const SCENARIOS: readonly Scenario[] = [throttleWindow, handoffGuestCounter, handoffHostSampling];
