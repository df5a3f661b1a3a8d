import { msrName } from "./msr-names.js";
import type { HwObserver, MsrLoadKind } from "./observer.js";

/** MSR traffic of one VM round trip, by how it happened and by MSR. */
export interface RoundTripTraffic {
  /** Immediate WRMSRs by host code. */
  wrmsr: number;
  /** MSRs loaded from the VM-entry MSR-load list. */
  entryLoads: number;
  /** MSRs loaded from the VM-exit MSR-load list. */
  exitLoads: number;
  /** Dedicated VMCS field loads (GUEST/HOST_IA32_PERF_GLOBAL_CTRL). */
  fieldLoads: number;
  /** Every MSR write of the round trip, by MSR name (PEBS_ENABLE, GLOBAL_CTRL, ...). */
  byMsr: Record<string, number>;
}

export function emptyTraffic(): RoundTripTraffic {
  return { wrmsr: 0, entryLoads: 0, exitLoads: 0, fieldLoads: 0, byMsr: {} };
}

/** Every MSR write of a round trip: the sum of the four kinds. */
export function totalWrites(t: RoundTripTraffic): number {
  return t.wrmsr + t.entryLoads + t.exitLoads + t.fieldLoads;
}

const KIND_FIELD: Record<MsrLoadKind, "wrmsr" | "entryLoads" | "exitLoads" | "fieldLoads"> = {
  wrmsr: "wrmsr",
  "entry-load": "entryLoads",
  "exit-load": "exitLoads",
  "field-load": "fieldLoads",
};

/**
 * The ledger of MSR traffic per VM round trip. A round trip is everything from the end of one
 * VM-exit (its loads included) to the end of the next: the switch before VM-entry, the entry
 * loads, whatever ran in the guest, and the exit loads. Traffic after the last exit stays in
 * {@link current} until the next exit completes.
 */
export class Ledger implements HwObserver {
  readonly roundTrips: RoundTripTraffic[] = [];
  current: RoundTripTraffic = emptyTraffic();

  msrWrite(kind: MsrLoadKind, msr: number): void {
    this.current[KIND_FIELD[kind]]++;
    const name = msrName(msr);
    this.current.byMsr[name] = (this.current.byMsr[name] ?? 0) + 1;
  }

  event(): void {}

  roundTripDone(): void {
    this.roundTrips.push(this.current);
    this.current = emptyTraffic();
  }

  /** The last complete round trip (steady state once the run has warmed up), if any. */
  last(): RoundTripTraffic | undefined {
    return this.roundTrips[this.roundTrips.length - 1];
  }
}
