import type { HwConfig } from "../config.js";
import type { HwObserver, MsrLoadKind } from "../observer.js";

export const CFG: HwConfig = {
  numGp: 4,
  numFixed: 3,
  pebsThresholdRecords: 1,
  pebsMaxRecords: 2,
  pebsIsolation: false,
};

/** An observer that records everything, for assertions. */
export function recorder(): HwObserver & {
  writes: { kind: MsrLoadKind; msr: number; before: number; after: number }[];
  events: string[];
  trips: number;
} {
  const r = {
    writes: [] as { kind: MsrLoadKind; msr: number; before: number; after: number }[],
    events: [] as string[],
    trips: 0,
    msrWrite(kind: MsrLoadKind, msr: number, before: number, after: number) {
      r.writes.push({ kind, msr, before, after });
    },
    event(t: string) {
      r.events.push(t);
    },
    roundTripDone() {
      r.trips++;
    },
  };
  return r;
}
