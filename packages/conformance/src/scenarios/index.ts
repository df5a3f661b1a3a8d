import { atKernel, deepFreeze, type Scenario, scenarioBaseId } from "@switchlab/model";
import { KERNEL_VERSIONS, type KernelVersion, parseKernelVersion } from "@switchlab/perf";
import { fastpathReentry } from "./fastpath-reentry.js";
import { guestPebs } from "./guest-pebs.js";
import { handoffGuestCounter } from "./handoff-guest-counter.js";
import { handoffGuestCounterV616 } from "./handoff-guest-counter-v616.js";
import { handoffHostSampling } from "./handoff-host-sampling.js";
import { handoffHostSamplingV616 } from "./handoff-host-sampling-v616.js";
import { hostPebsV616 } from "./host-pebs-v616.js";
import { listsFull } from "./lists-full.js";
import { mediatedFailedEntry } from "./mediated-failed-entry.js";
import { mediatedFastpath } from "./mediated-fastpath.js";
import { mediatedHostSampling } from "./mediated-host-sampling.js";
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
  mediatedHostSampling,
  mediatedFastpath,
  mediatedFailedEntry,
]);

/** A `--kernel` choice: a version, or `own` (each scenario at the version it was written for). */
export type KernelChoice = KernelVersion | "own";

/**
 * The default matrix's kernels: each scenario at its own version (v5.11 or v6.16: where the race
 * was reported and studied) and every scenario again at v7.3 (today's tree, with the 2026 fix
 * merged), so the matrix shows per version where the race is still open.
 */
export const DEFAULT_KERNELS: readonly KernelChoice[] = ["own", "v7.3"];

/** A --kernel value, or undefined (the caller names what was wrong). */
export function parseKernelChoice(s: string): KernelChoice | undefined {
  return s.trim() === "own" ? "own" : parseKernelVersion(s);
}

/** The scenario rows for some kernels, scenario by scenario (each followed by its other versions), without repeats. */
export function scenarioRows(
  kernels: readonly KernelChoice[] = DEFAULT_KERNELS,
  base: readonly Scenario[] = SCENARIOS,
): Scenario[] {
  const out: Scenario[] = [];
  for (const sc of base) {
    const seen = new Set<KernelVersion>();
    for (const k of kernels) {
      const v = k === "own" ? sc.kernel : k;
      if (seen.has(v)) continue;
      seen.add(v);
      out.push(atKernel(sc, v));
    }
  }
  return out;
}

/** The rows of the default matrix (frozen). */
export const SCENARIO_ROWS: readonly Scenario[] = deepFreeze(scenarioRows());

/** A scenario row by id: a default row, or `<scenario>@<kernel>` for any modelled kernel. */
export function findScenarioRow(id: string): Scenario | undefined {
  const row = SCENARIO_ROWS.find((s) => s.id === id);
  if (row) return row;
  const base = SCENARIOS.find((s) => s.id === scenarioBaseId({ id }));
  const k = id.includes("@") ? parseKernelVersion(id.slice(id.indexOf("@") + 1)) : undefined;
  return base && k ? atKernel(base, k) : undefined;
}

export { KERNEL_VERSIONS };
