/**
 * A perf event as a scenario declares it: the attributes that decide how perf programs the
 * counter (include/uapi/linux/perf_event.h: precise_ip, exclude_guest, exclude_host).
 * Events are sampling events in period mode (attr.freq = 0): freq-mode re-arming on the tick
 * changes no PEBS bit and is not modelled.
 */
export interface PerfEventSpec {
  /** Name used in traces, e.g. `cycles:pp` or `kvm-pmc0`. */
  readonly name: string;
  /** attr.precise_ip > 0: a PEBS event (intel_pmu_pebs_enable on start). */
  readonly precise: boolean;
  /** attr.exclude_guest: the perf tool sets it on precise events; intel_set_masks -> intel_ctrl_host_mask. */
  readonly excludeGuest: boolean;
  /** attr.exclude_host: KVM's guest-counter events (pmc_reprogram_counter); -> intel_ctrl_guest_mask. */
  readonly excludeHost: boolean;
  /**
   * Adaptive PEBS record groups the event asks for (pebs_update_adaptive_cfg: memory info, GPRs,
   * XMMs, LBRs); 0 or absent for the basic group only. Non-zero makes cpuc->pebs_data_cfg, and so
   * MSR_PEBS_DATA_CFG, non-zero on CPUs with adaptive PEBS.
   */
  readonly pebsDataCfg?: number;
}

/** hwc->interrupts == MAX_INTERRUPTS: the event is throttled (kernel/events/core.c). */
export const MAX_INTERRUPTS = -1;

/** A host PEBS event as `perf record -e cycles:pp` creates it. */
export function hostPebsEvent(name = "cycles:pp", pebsDataCfg = 0): PerfEventSpec {
  return { name, precise: true, excludeGuest: true, excludeHost: false, pebsDataCfg };
}

/** A host non-PEBS sampling event (EVTSEL.INT set), counting in host and guest. */
export function hostSamplingEvent(name = "instructions"): PerfEventSpec {
  return { name, precise: false, excludeGuest: false, excludeHost: false };
}

/**
 * A host sampling event that excludes the guest (`perf record -e cycles:H`): the only kind a
 * mediated VM can coexist with (an include-guest event fails with -EOPNOTSUPP once one exists,
 * 7.1.5 kernel/events/core.c mediated_pmu_account_event l.6353).
 */
export function hostOnlySamplingEvent(name = "cycles:H"): PerfEventSpec {
  return { name, precise: false, excludeGuest: true, excludeHost: false };
}

/** A KVM guest-counter event: backs a guest PMC, counts in the guest only. */
export function kvmGuestCounterEvent(name = "kvm-pmc0"): PerfEventSpec {
  return { name, precise: false, excludeGuest: false, excludeHost: true };
}
