/**
 * Configuration the hardware rules read: fixed for one run, never part of the state.
 * Derived from a hardware profile and the scenario's debug-store set-up.
 */
export interface HwConfig {
  /** General-purpose counters (CPUID.0AH:EAX[15:8]); 1..8 in the model. */
  readonly numGp: number;
  /** Fixed counters (CPUID.0AH:EDX[4:0]); 0..8 in the model. */
  readonly numFixed: number;
  /**
   * pebs_interrupt_threshold, in records past pebs_buffer_base. perf uses 1 (a PMI per record)
   * unless large PEBS applies (pebs_update_threshold, ds.c), which the scenarios do not use.
   */
  readonly pebsThresholdRecords: number;
  /** pebs_absolute_maximum, in records (the model packs at most 7). */
  readonly pebsMaxRecords: number;
  /**
   * PEBS isolation (the microcode fix of commit 9b545c04abd4, or PMU v5): PEBS never fires on the
   * wrong side of a host/guest transition, so no latent host assist crosses VM-entry.
   */
  readonly pebsIsolation: boolean;
  /** A PMI raised while LVTPC is masked is lost (the `--masked-pmi drop` assumption); else held until the unmask. */
  readonly dropMaskedPmi?: boolean;
}
