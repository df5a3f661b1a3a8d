import type { ConformanceProperty } from "../property.js";
import { hostPebsEnableFresh } from "./host-pebs-enable-fresh.js";
import { hostPerfMsrsFresh } from "./host-perf-msrs-fresh.js";
import { mediatedGlobalStatusOwned } from "./mediated-global-status-owned.js";
import { mediatedGuestCountsOnlyGuest } from "./mediated-guest-counts-only-guest.js";
import { mediatedGuestPmiToGuest } from "./mediated-guest-pmi-to-guest.js";
import { mediatedGuestStateRestored } from "./mediated-guest-state-restored.js";
import { mediatedHostPmiToHost } from "./mediated-host-pmi-to-host.js";
import { mediatedHostQuietInGuest } from "./mediated-host-quiet-in-guest.js";
import { mediatedPmuReturnedClean } from "./mediated-pmu-returned-clean.js";
import { noGuestPfOnHostDs } from "./no-guest-pf-on-host-ds.js";
import { noHostPebsInGuest } from "./no-host-pebs-in-guest.js";
import { noLateSecondNmi } from "./no-late-second-nmi.js";
import { noPebsWithInt } from "./no-pebs-with-int.js";
import { noUnknownNmi } from "./no-unknown-nmi.js";
import { staleBitBounded } from "./stale-bit-bounded.js";
import { switchListsFit } from "./switch-lists-fit.js";
import { vmNotKilled } from "./vm-not-killed.js";

export type { ConformanceProperty } from "../property.js";
export {
  hostPebsEnableFresh,
  hostPerfMsrsFresh,
  mediatedGlobalStatusOwned,
  mediatedGuestCountsOnlyGuest,
  mediatedGuestPmiToGuest,
  mediatedGuestStateRestored,
  mediatedHostPmiToHost,
  mediatedHostQuietInGuest,
  mediatedPmuReturnedClean,
  noGuestPfOnHostDs,
  noHostPebsInGuest,
  noLateSecondNmi,
  noPebsWithInt,
  noUnknownNmi,
  staleBitBounded,
  switchListsFit,
  vmNotKilled,
};

/** The conformance properties, one file each (named by id), in report order. */
export const PROPERTIES: readonly ConformanceProperty[] = [
  noGuestPfOnHostDs,
  noUnknownNmi,
  noLateSecondNmi,
  hostPebsEnableFresh,
  hostPerfMsrsFresh,
  staleBitBounded,
  noPebsWithInt,
  noHostPebsInGuest,
  switchListsFit,
  vmNotKilled,
  mediatedHostQuietInGuest,
  mediatedGuestCountsOnlyGuest,
  mediatedGuestStateRestored,
  mediatedGuestPmiToGuest,
  mediatedHostPmiToHost,
  mediatedGlobalStatusOwned,
  mediatedPmuReturnedClean,
];

const BY_ID: ReadonlyMap<string, ConformanceProperty> = new Map(PROPERTIES.map((p) => [p.id, p]));

/** The property of an id, if there is one. */
export function propertyById(id: string): ConformanceProperty | undefined {
  return BY_ID.get(id);
}

/** A property's column header in fixed-width tables (an unknown id stands for itself). */
export function shortName(property: string): string {
  return BY_ID.get(property)?.short ?? property;
}
