import type { HardwareProfile, HwConfig, HwObserver, HwState } from "@switchlab/hardware";
import { intelCtrlMask } from "@switchlab/hardware";
import type { PerfState } from "./cpu-hw-events.js";
import type { PerfEventSpec } from "./perf-event.js";
import type { PerfKernel } from "./services.js";

/**
 * The kernel version a run models; chosen by the scenario, or for every scenario by `--kernel`.
 * v7.3 is modelled from the 7.1.5 tree (danayer/linux-7.1.5) plus the perf-urgent part of the
 * 2026 series that reached 7.3-rc5 (intel_guest_get_msrs, intel/core.c); see the README.
 */
export type KernelVersion = "v5.11" | "v6.16" | "v7.3";

/** Every modelled version, oldest first. */
export const KERNEL_VERSIONS: readonly KernelVersion[] = ["v5.11", "v6.16", "v7.3"];

/** The kernel is `v` or later: the one way version-dependent code asks. */
export function kernelAtLeast(kernel: KernelVersion, v: KernelVersion): boolean {
  return KERNEL_VERSIONS.indexOf(kernel) >= KERNEL_VERSIONS.indexOf(v);
}

/** A version string as --kernel and scenario files spell it, or undefined. */
export function parseKernelVersion(s: string): KernelVersion | undefined {
  const t = s.trim();
  const v = t.startsWith("v") ? t : `v${t}`;
  return (KERNEL_VERSIONS as readonly string[]).includes(v) ? (v as KernelVersion) : undefined;
}

/** What perf computed at boot (struct x86_pmu), derived from the hardware profile. */
export interface X86Pmu {
  /** x86_pmu.intel_ctrl: every GP and fixed counter. */
  readonly intelCtrl: number;
  /** x86_pmu.pebs (v6.16: ds_pebs). */
  readonly pebs: boolean;
  /** x86_pmu.pebs_no_isolation (derived in @switchlab/hardware). */
  readonly pebsNoIsolation: boolean;
  /** x86_pmu.intel_cap.pebs_baseline (adaptive PEBS). */
  readonly pebsBaseline: boolean;
  /** PMU_FL_PEBS_ALL: set with pebs_baseline (intel_ds_init, format 4). */
  readonly pebsAll: boolean;
  /** x86_pmu.pebs_ept (v6.16, PEBS format 5+): guest PEBS possible. */
  readonly pebsEpt: boolean;
  /** x86_pmu.late_ack: set by intel_pmu_init for Haswell onwards, so for every built-in profile. */
  readonly lateAck: boolean;
  /** PEBS_COUNTER_MASK (v5.11: the low MAX_PEBS_EVENTS = 8 counters). */
  readonly pebsCounterMask: number;
}

export function x86PmuOf(p: HardwareProfile): X86Pmu {
  return {
    intelCtrl: intelCtrlMask(p.numGp, p.numFixed),
    pebs: p.pebs,
    pebsNoIsolation: p.pebsNoIsolation,
    pebsBaseline: p.adaptivePebs,
    pebsAll: p.adaptivePebs,
    pebsEpt: p.eptFriendlyPebs,
    lateAck: true,
    pebsCounterMask: 0xff,
  };
}

/** Scenario-level perf configuration. */
export interface PerfConfig {
  readonly kernel: KernelVersion;
  /** max_samples_per_tick (DIV_ROUND_UP(perf_event_max_sample_rate, HZ); 100 by default, small in scenarios). */
  readonly maxSamplesPerTick: number;
  /** The events, indexed as in PerfState. */
  readonly events: readonly PerfEventSpec[];
  /** smp_processor_id() for messages. */
  readonly cpu: number;
  /** What x86_platform.get_nmi_reason() reads (port 0x61). */
  readonly nmiReason: number;
}

/** The hardware observer plus what the kernel prints and which kernel functions ran. */
export interface KernelObserver extends HwObserver {
  /** A line the kernel printed (pr_emerg, printk_once...). */
  printk(text: string): void;
  /** A kernel function ran, with what it did (for traces); a costly detail may be passed as a thunk. */
  call(fn: string, detail: string | (() => string)): void;
}

export const NULL_KERNEL_OBSERVER: KernelObserver = {
  msrWrite() {},
  event() {},
  roundTripDone() {},
  printk() {},
  call() {},
};

/**
 * What perf may ask of or tell the hypervisor (after perf_guest_info_callbacks, which KVM
 * registers with perf): only what the modelled patches need. A policy that has perf tell KVM
 * something calls these rather than looking at KVM's state itself.
 */
export interface PerfGuestCallbacks {
  /** A vCPU is loaded on this CPU (between vcpu_load and vcpu_put). */
  vcpuLoaded(w: PerfWorld): boolean;
  /** Replace the host value of an MSR on the loaded vCPU's VM-exit MSR-load list; false if it is not there. */
  setExitListValue(w: PerfWorld, env: PerfEnv, msr: number, value: number): boolean;
}

/** Everything a perf function reads besides the world: configuration, the observer, the ops table. */
export interface PerfEnv {
  readonly hw: HwConfig;
  readonly pmu: X86Pmu;
  readonly perf: PerfConfig;
  readonly obs: KernelObserver;
  readonly k: PerfKernel;
  /** The hypervisor's callbacks, when one is loaded (KVM in every cell). */
  readonly guest?: PerfGuestCallbacks;
}

/** The part of the world perf reads and writes. */
export interface PerfWorld {
  readonly hw: HwState;
  readonly perf: PerfState;
}
