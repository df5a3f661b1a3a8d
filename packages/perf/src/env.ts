import type { HardwareProfile, HwConfig, HwObserver, HwState } from "@switchlab/hardware";
import { intelCtrlMask } from "@switchlab/hardware";
import type { PerfState } from "./cpu-hw-events.js";
import type { PerfEventSpec } from "./perf-event.js";
import type { PerfKernel } from "./services.js";

/**
 * The kernel version a run models; chosen by the scenario, or for every scenario by `--kernel`.
 * Where each is read from is in KERNEL_SOURCES (and `switchlab list`).
 */
export type KernelVersion = "v5.11" | "v6.1.y" | "v6.16" | "v7.3";

/**
 * Every modelled version, in the order of the mainline release each is based on. That order is
 * not an order of behaviour: v6.1.y (a stable tree of 2026) took two fixes of the 2026 series that
 * v6.16 never had, and lacks features v6.16 has. Version-dependent code asks `kernelHas` for the
 * one behaviour it branches on.
 */
export const KERNEL_VERSIONS: readonly KernelVersion[] = ["v5.11", "v6.1.y", "v6.16", "v7.3"];

/**
 * Each behaviour the model branches on by version, with where it was read. A version has a
 * behaviour when its tree has the code; KERNEL_FEATURES says which version has which.
 */
export type KernelFeature =
  /**
   * KVM hands perf_guest_get_msrs its struct kvm_pmu (guest PEBS, 5.12 on): 6.1.192 vmx.c l.7071,
   * v6.16.1 and 7.1.5 the same; v5.11 calls perf_guest_get_msrs(&nr_msrs).
   */
  | "kvm-pmu-arg"
  /**
   * __perf_event_account_interrupt tests `hwc->interrupts >= max_samples_per_tick` outside the
   * else, so the first interrupt of a tick can throttle: 6.1.192 kernel/events/core.c l.9377-9390,
   * v6.16.1, 7.1.5; v5.11 tests it only in the else.
   */
  | "first-interrupt-throttles"
  /**
   * The host NMI handler of an NMI VM-exit runs in vmx_vcpu_enter_exit (vmx_handle_nmi, before the
   * fastpath; "KVM: VMX: Handle NMI VM-Exits in noinstr region", 6.2): v6.16.1, 7.1.5. v5.11 and
   * 6.1.192 run it from vmx_handle_exit_irqoff -> handle_exception_nmi_irqoff (6.1.192 vmx.c
   * l.6912-6923, l.6879-6895), after the fastpath loop.
   */
  | "nmi-exit-in-enter-exit"
  /**
   * intel_guest_get_msrs ANDs guest_pebs_mask with intel_ctrl, and has no PEBS_ENABLE entry with
   * PEBS isolation (queue 3d512e91 "Ensure guest PEBS path doesn't set unwanted PERF_GLOBAL_CTRL
   * bits" and d701c6c6 "Don't write PEBS_ENABLED on host<=>guest xfers if CPU has isolation"; the
   * two 6.1.y took): 6.1.192 events/intel/core.c l.4186, l.4207-4214; the queue at 22ff4b9b (v7.3).
   */
  | "guest-pebs-no-pebs-enable"
  /**
   * DS_AREA and PEBS_DATA_CFG keep the host value unless guest PEBS is active, and @data is
   * mandatory (queue 87524d58, 22ff4b9b; mainline 7.3-rc5, not in 6.1.y): the v7.3 model.
   */
  | "ds-area-only-for-guest-pebs"
  /**
   * A full MSR autoload list is KVM_BUG_ON in vmx_add_auto_msr (7.0 on; 7.1.5 vmx.c l.1063-1071);
   * before, add_atomic_switch_msr printk_once'd "Not enough msr switch entries" (6.1.192 vmx.c
   * l.1014-1018).
   */
  | "list-full-kills-vm"
  /** The mediated vPMU, kvm.enable_mediated_pmu (merged in 7.0; 7.1.5 for the model's v7.3). */
  | "mediated-vpmu";

/** Which version has which behaviour: the only table version-dependent code reads. */
export const KERNEL_FEATURES: Readonly<Record<KernelVersion, readonly KernelFeature[]>> = {
  "v5.11": [],
  "v6.1.y": ["kvm-pmu-arg", "first-interrupt-throttles", "guest-pebs-no-pebs-enable"],
  "v6.16": ["kvm-pmu-arg", "first-interrupt-throttles", "nmi-exit-in-enter-exit"],
  "v7.3": [
    "kvm-pmu-arg",
    "first-interrupt-throttles",
    "nmi-exit-in-enter-exit",
    "guest-pebs-no-pebs-enable",
    "ds-area-only-for-guest-pebs",
    "list-full-kills-vm",
    "mediated-vpmu",
  ],
};

/** The kernel has the behaviour `f` (KERNEL_FEATURES). */
export function kernelHas(kernel: KernelVersion, f: KernelFeature): boolean {
  return KERNEL_FEATURES[kernel].includes(f);
}

/**
 * The kernel has every behaviour version `v` has: a partial order. Among mainline versions it is
 * their release order; v6.1.y is at least v5.11, and v7.3 is at least v6.1.y, but v6.1.y and v6.16
 * are each not at least the other (each has a behaviour the other lacks).
 */
export function kernelAtLeast(kernel: KernelVersion, v: KernelVersion): boolean {
  return KERNEL_FEATURES[v].every((f) => kernelHas(kernel, f));
}

/** Where each version is read from: the stored tree, its commit or package version, and what was added to it. */
export interface KernelSource {
  readonly tree: string;
  readonly at: string;
  readonly note: string;
}

export const KERNEL_SOURCES: Readonly<Record<KernelVersion, KernelSource>> = {
  "v5.11": {
    tree: "CompressionDuck/linux-5.11",
    at: "v5.11 (files unchanged from the tag)",
    note: "the 2021 report's kernel: atomic_switch_perf_msrs as merged, printk_once on a full list",
  },
  "v6.1.y": {
    tree: "Debian linux-source-6.1",
    at: "6.1.192-3 (bookworm-security, 2026-11-26; Makefile SUBLEVEL 192)",
    note: "holds the two 2026 fixes 6.1.y took (intel/core.c l.4186, l.4207-4214), not 87524d58 or 22ff4b9b: DS_AREA and PEBS_DATA_CFG switched unconditionally; NMI exits in handle_exit_irqoff",
  },
  "v6.16": {
    tree: "KT0511/linux-6.16.1",
    at: "210b82c35000b63a0fa95d42feccddea97681b97",
    note: "guest PEBS through kvm_pmu, vmx_handle_nmi in vmx_vcpu_enter_exit, printk_once on a full list",
  },
  "v7.3": {
    tree: "danayer/linux-7.1.5 + kernelorg-mirror/linux_kernel_git_peterz_queue",
    at: "7.1.5; intel_guest_get_msrs at queue 22ff4b9b72218b972eff2b05bc964218f85218ac (7.3-rc5)",
    note: "7.1.5's KVM and perf with the four 7.3-rc5 PEBS fixes (no PEBS_ENABLE entry with isolation, DS_AREA and PEBS_DATA_CFG the guest's only for active guest PEBS); KVM_BUG_ON on a full list; the mediated vPMU",
  },
};

/** A version string as --kernel and scenario files spell it (`v` optional), or undefined. */
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
