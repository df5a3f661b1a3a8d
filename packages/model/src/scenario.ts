import type { KernelVersion, KvmPmuPebs, PerfEventSpec } from "@switchlab/perf";

/** A host activity with IRQs on: perf moving events between counters (ctx sched out/in). */
export interface SchedActivity {
  /** Id used in action names: `sched:<id>`. */
  readonly id: string;
  readonly title: string;
  /** Events leaving their counters (event names). */
  readonly remove: readonly string[];
  /** Events added, with the counter x86_schedule_events gives them. */
  readonly add: readonly { readonly event: string; readonly counter: number }[];
}

/**
 * A scenario: the perf events, what may happen asynchronously, and the bounds. The explorer
 * tries every interleaving the scenario allows; nothing in it says where a race is.
 */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Where the set-up comes from (a report, a kernel self-test), if anywhere. */
  readonly source?: string;
  readonly kernel: KernelVersion;
  readonly events: readonly PerfEventSpec[];
  /** Events scheduled and started before the run, with their counters. */
  readonly initial: readonly { readonly event: string; readonly counter: number; readonly interrupts?: number }[];
  /** max_samples_per_tick. */
  readonly maxSamplesPerTick: number;
  /** Counters allowed to overflow (while they count), how many overflows in all, and at most how many per event. */
  readonly overflows: { readonly counters: readonly number[]; readonly budget: number; readonly perEvent?: number };
  /** PMIs the APIC may deliver as NMIs in all. */
  readonly nmiBudget: number;
  /**
   * Delivery latency: how many steps the interrupted context may run while a PMI is
   * deliverable before the APIC must deliver it (default 1: a PMI raised before a step may be
   * taken after it, not later). A PMI held by a masked LVTPC does not age.
   */
  readonly pmiLatencySteps?: number;
  /** perf ticks (IRQs on) in all. */
  readonly tickBudget: number;
  /** perf scheduling activities, each at most once. */
  readonly activities: readonly SchedActivity[];
  /** VM-exits the guest may take besides NMI exits. */
  readonly exits: readonly ("fastpath" | "slow")[];
  /** The vCPU: a virtual PMU or not, and its guest-PEBS state (v6.16). */
  readonly vcpu: { readonly hasPmu: boolean; readonly kvmPmu?: KvmPmuPebs };
  /** VM round trips before the vCPU stops. */
  readonly maxRoundTrips: number;
  /** Other MSRs KVM already switches (both lists), filling slots before perf's. */
  readonly otherMsrs: number;
  /** pebs_interrupt_threshold and pebs_absolute_maximum, in records. */
  readonly ds?: { readonly thresholdRecords: number; readonly maxRecords: number };
  /** N for the bounded-persistence property: a stale bit must clear within N round trips. */
  readonly staleBound: number;
  /** `sometimes` guards (ids from the conformance suite) the scenario must reach to be meaningful. */
  readonly guards: readonly string[];
}

/** Index of a scenario event by name (a scenario naming an unknown event is a bad scenario). */
export function eventIndex(scenario: Scenario, name: string): number {
  const i = scenario.events.findIndex((e) => e.name === name);
  if (i < 0)
    throw new Error(
      `scenario ${scenario.id}: no event named ${name}; events: ${scenario.events.map((e) => e.name).join(", ")}`,
    );
  return i;
}
