import type { Assumptions } from "@switchlab/model";

/** What a verdict rests on, in one line: kernel, PMI latency, PEBS quiescent period, budgets. */
export function assumptionLine(a: Assumptions): string {
  return [
    `kernel ${a.kernel}`,
    `PMI latency ${a.pmiLatency === "unbounded" ? "unbounded" : `${a.pmiLatency} insns`}`,
    `PEBS quiescent ${a.pebsQuiescent} insns`,
    `masked PMI ${a.maskedPmi}`,
    `overflows ${a.overflows}${a.overflowsPerEvent === "none" ? "" : ` (${a.overflowsPerEvent} per event)`}`,
    `NMIs ${a.nmis}`,
    `round trips ${a.roundTrips}`,
    `ticks ${a.ticks}`,
  ].join(", ");
}
