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
   * PMI delivery latency bound, in instructions of the interrupted context (assumptions.ts; the
   * default is DEFAULT_PMI_LATENCY), or "unbounded".
   */
  readonly pmiLatency?: number | "unbounded";
  /** The PEBS quiescent period, in instructions (assumptions.ts; default DEFAULT_PEBS_QUIESCENT). */
  readonly pebsQuiescent?: number;
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
  /**
   * What the CPU must have for the scenario to happen at all; on a profile without it every
   * cell is `not-applicable`, with the reason. `eptFriendlyPebs`: KVM offers guest PEBS only
   * with x86_pmu.pebs_ept (vmx_pebs_supported, v6.16).
   */
  readonly requires?: { readonly eptFriendlyPebs?: true };
}

/** Why a scenario cannot happen on a profile, or undefined when it can. */
export function scenarioNotApplicable(
  scenario: Scenario,
  profile: { readonly eptFriendlyPebs: boolean },
): string | undefined {
  if (scenario.requires?.eptFriendlyPebs && !profile.eptFriendlyPebs)
    return "KVM offers guest PEBS only with EPT-friendly PEBS (vmx_pebs_supported: x86_pmu.pebs_ept, Ice Lake server and later), which this CPU lacks";
  return undefined;
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
