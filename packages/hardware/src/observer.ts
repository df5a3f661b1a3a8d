/**
 * What the hardware reports while it runs, outside the state: MSR traffic (for the ledger and the
 * trace) and hardware events (a PEBS assist, a guest page fault, a PMI raised). Exploration passes
 * {@link NULL_OBSERVER}; replay and cost runs pass observers that record.
 */

/** How an MSR got its value. */
export type MsrLoadKind = "wrmsr" | "entry-load" | "exit-load" | "field-load";

export interface HwObserver {
  /** An MSR was written: by WRMSR, by a VM-entry/VM-exit list load, or by a dedicated VMCS field. */
  msrWrite(kind: MsrLoadKind, msr: number, before: number, after: number): void;
  /** Something the hardware did that the trace should show. */
  event(text: string): void;
  /** A VM-exit finished loading host state: one entry/exit round trip is complete. */
  roundTripDone(): void;
}

export const NULL_OBSERVER: HwObserver = {
  msrWrite() {},
  event() {},
  roundTripDone() {},
};
