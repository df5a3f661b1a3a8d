import { type KernelVersion, type KvmPmuPebs, kernelAtLeast, type PerfEventSpec } from "@switchlab/perf";

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
  /** The row's id: the scenario's own id, with `@<kernel>` when run at another version (atKernel). */
  readonly id: string;
  readonly title: string;
  /** Where the set-up comes from (a report, a kernel self-test), if anywhere. */
  readonly source?: string;
  /** The kernel version the scenario runs (its own, or the one `--kernel` gave it). */
  readonly kernel: KernelVersion;
  /** The oldest version in which the set-up can happen at all (older: every cell `not-applicable`). */
  readonly minKernel?: KernelVersion;
  /** Why: what the set-up needs that older versions lack. */
  readonly minKernelWhy?: string;
  readonly events: readonly PerfEventSpec[];
  /** Events scheduled and started before the run, with their counters. */
  readonly initial: readonly { readonly event: string; readonly counter: number; readonly interrupts?: number }[];
  /** max_samples_per_tick. */
  readonly maxSamplesPerTick: number;
  /** Counters allowed to overflow (while they count), how many overflows in all, and at most how many per event. */
  readonly overflows: { readonly counters: readonly number[]; readonly budget: number; readonly perEvent?: number };
  /** PMIs the APIC may deliver as NMIs in all. */
  readonly nmiBudget: number;
  /** PMU MSR writes the mediated guest makes, in all (assumptions/guest-writes.ts; absent: DEFAULT_GUEST_WRITES). */
  readonly guestWriteBudget?: number;
  /** NMIs that are not PMIs, in all (assumptions/other-nmis.ts; absent: 0). */
  readonly otherNmiBudget?: number;
  /**
   * PMI delivery latency bound, in instructions of the interrupted context (assumptions/pmi-latency.ts;
   * the default is DEFAULT_PMI_LATENCY), or "unbounded".
   */
  readonly pmiLatency?: number | "unbounded";
  /** What a PMI raised while LVTPC is masked does (assumptions/masked-pmi.ts; default "hold"). */
  readonly maskedPmi?: "hold" | "drop";
  /** The PEBS quiescent period, in instructions (assumptions/pebs-quiescent.ts; default DEFAULT_PEBS_QUIESCENT). */
  readonly pebsQuiescent?: number;
  /** perf ticks (IRQs on) in all. */
  readonly tickBudget: number;
  /** perf scheduling activities, each at most once. */
  readonly activities: readonly SchedActivity[];
  /** VM-exits the guest may take besides NMI exits; "failed-entry": one VMRESUME may fail (VMfail). */
  readonly exits: readonly ("fastpath" | "slow" | "failed-entry")[];
  /**
   * KVM module parameters: `enable_mediated_pmu` (kvm_intel, x86.c l.190 in 7.1.5; merged in 7.0,
   * off by default): KVM context-switches the PMU itself around the run loop (mediated vPMU).
   */
  readonly kvm?: { readonly enableMediatedPmu?: boolean };
  /**
   * The vCPU: a virtual PMU or not, its guest-PEBS state (v6.16), and for the mediated vPMU the GP
   * counters the guest programs (a mask: EVTSEL with EN and INT, enabled in its GLOBAL_CTRL at the
   * start; the guest writes GLOBAL_CTRL and its counters within the guest-writes budget, model/src/guest.ts).
   */
  readonly vcpu: { readonly hasPmu: boolean; readonly kvmPmu?: KvmPmuPebs; readonly guestCounters?: number };
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

/** The scenario's own id, without the `@<kernel>` of a retargeted copy. */
export function scenarioBaseId(sc: { readonly id: string }): string {
  const at = sc.id.indexOf("@");
  return at < 0 ? sc.id : sc.id.slice(0, at);
}

/**
 * The scenario run at another kernel version: the same set-up and bounds, its id `<id>@<kernel>`
 * (or the plain id at its own version, so rows and saved replays keep their names).
 */
export function atKernel(sc: Scenario, kernel: KernelVersion, own: KernelVersion = sc.kernel): Scenario {
  const base = scenarioBaseId(sc);
  return { ...sc, id: kernel === own ? base : `${base}@${kernel}`, kernel };
}

/** Why a scenario cannot happen on a profile, or undefined when it can. */
export function scenarioNotApplicable(
  scenario: Scenario,
  profile: { readonly eptFriendlyPebs: boolean; readonly pebs: boolean; readonly id?: string },
): string | undefined {
  if (scenario.minKernel && !kernelAtLeast(scenario.kernel, scenario.minKernel))
    return `the set-up needs ${scenario.minKernel} or later (${scenario.minKernelWhy ?? "what it exercises is not in older kernels"}), and this row runs ${scenario.kernel}`;
  // A precise event on a CPU without PEBS: perf refuses it (x86_pmu_hw_config returns -EOPNOTSUPP
  // when attr.precise_ip > 0 and x86_pmu.pebs is 0, arch/x86/events/core.c), so the row cannot
  // happen; a --profile-file with pebs: false beside a PEBS scenario says so instead of exploring.
  if (!profile.pebs && scenario.events.some((e) => e.precise))
    return "the scenario opens a precise (PEBS) event, which perf refuses on a CPU without PEBS (x86_pmu_hw_config: precise_ip above x86_pmu_max_precise(), 0 without PEBS, is -EOPNOTSUPP), and this profile says pebs: false";
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
