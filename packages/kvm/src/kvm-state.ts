import { bits, flag, forgettable, int, list, type ViewOf } from "@switchlab/explorer";
import { meta } from "@switchlab/hardware";
import type { PerfWorld } from "@switchlab/perf";

/** Why the last VM-exit happened (the exit reasons the model distinguishes). */
export const EXIT_NONE = 0;
/** EXIT_REASON_EXCEPTION_NMI caused by an NMI (NMI exiting). */
export const EXIT_NMI = 1;
/** An exit vmx_exit_handlers_fastpath handles (MSR_WRITE to TSC_DEADLINE, preemption timer): may re-enter at once. */
export const EXIT_FASTPATH = 2;
/** Any other exit (HLT, I/O, EPT violation...): handled by vmx_handle_exit with IRQs on. */
export const EXIT_SLOW = 3;

/** EXIT_REASON_EXTERNAL_INTERRUPT: the mediated guest's PMI vector 0xf5 arrived in VMX non-root (acked on exit). */
export const EXIT_EXTINT = 4;
/** VMRESUME failed (vmx->fail, VMfail): no VM-entry happened, nothing was loaded or saved. */
export const EXIT_FAILED_ENTRY = 5;

export const EXIT_NAMES = ["none", "nmi", "fastpath", "slow", "extint", "failed-entry"] as const;

/**
 * The exit reason forgotten where nothing reads it before the next VM-exit writes it
 * (forgetDeadExitReason, run-loop.ts): the last exit was a fastpath exit, or it was not. The
 * `fastpath-reentry` guard asks only that, at reenter_guest.
 */
export const EXIT_FORGOTTEN_FASTPATH = -1;
export const EXIT_FORGOTTEN = -2;

/**
 * Entries perf_guest_get_msrs returns at most in the modelled versions: GLOBAL_CTRL, DS_AREA,
 * PEBS_DATA_CFG and PEBS_ENABLE (intel_guest_get_msrs, v5.11 to 7.1.5; the kernel's array has
 * room for X86_PMC_IDX_MAX).
 */
export const MAX_SWITCH_MSRS = 4;
/** Most steps a (patched) run-loop sequence may have. */
export const MAX_RUN_LOOP_STEPS = 64;
/** Most run-loop steps between two VM-exits before the run loop is called runaway. */
export const STEP_BUDGET = 256;
/** Most VM round trips a scenario may ask for. */
export const MAX_ROUND_TRIPS = 15;

/**
 * KVM's per-vCPU state, declared once: the run loop's program counter, the locals of
 * atomic_switch_perf_msrs, the last exit reason, what KVM printed, and the run-loop watchdog.
 */
export const KVM_SPEC = {
  /** Program counter in the run-loop sequence. */
  pc: int(0, MAX_RUN_LOOP_STEPS - 1, meta("run-loop pc", "int", { hidden: true })),
  /**
   * perf_guest_get_msrs' array as atomic_switch_perf_msrs holds it: (msr, host, guest) triples,
   * three words each (MSR numbers and model values fit 16 bits).
   */
  msrs: list(3 * MAX_SWITCH_MSRS, 0, 0xffff, meta("perf_guest_get_msrs array", "int", { hidden: true })),
  /** atomic_switch_perf_msrs' loop index i. */
  msrIdx: int(0, MAX_SWITCH_MSRS, meta("atomic_switch_perf_msrs i", "int", { hidden: true })),
  /**
   * Reason of the last VM-exit (EXIT_*). The explorer stores EXIT_FORGOTTEN or
   * EXIT_FORGOTTEN_FASTPATH where no code will read it (forgetDeadExitReason in run-loop.ts).
   */
  exitReason: forgettable(int(EXIT_FORGOTTEN, EXIT_NAMES.length - 1, meta("kvm exit reason", "exit-reason")), 2),
  /** VM round trips completed (VM-exits). */
  roundTrips: int(0, MAX_ROUND_TRIPS, meta("kvm round trips", "int")),
  /** printk_once "Not enough msr switch entries" already printed. */
  switchFullPrinted: flag(meta("printk_once: Not enough msr switch entries", "int", { hidden: true })),
  /** The vCPU is loaded on this CPU (vcpu_load until vcpu_put): set when the run starts, cleared when it stops. */
  loaded: flag(meta("vCPU loaded", "yes-no", { hidden: true })),
  /**
   * KVM_BUG_ON fired (kvm_vm_bugged: the VM is marked bugged and every vCPU gets
   * KVM_REQ_VM_DEAD, so the next vcpu_enter_guest returns -EIO): sticky.
   */
  vmDead: flag(meta("VM killed (KVM_BUG_ON)", "yes-no")),
  /** An MSR perf asked to switch was left unswitched because a list was full (sticky). */
  unswitched: flag(meta("kvm MSR left unswitched", "yes-no")),
  /** The mediated vPMU's struct kvm_pmu: global_ctrl (the guest's IA32_PERF_GLOBAL_CTRL as KVM holds it). */
  pmuGlobalCtrl: bits(16, meta("pmu->global_ctrl", "mask", { timeline: true })),
  /** pmu->global_status: the guest's overflow bits, saved at put and restored at load. */
  pmuGlobalStatus: bits(31, meta("pmu->global_status", "mask")),
  /** The guest's counters that hold a period (pmc->counter non-zero), saved at put (RDPMC). */
  pmuCountersArmed: bits(8, meta("guest PMCs armed (pmc->counter)", "counters", { hidden: true })),
  /** KVM_REQ_PMI made (kvm_handle_guest_mediated_pmi), capped at 3. */
  pmiRequests: int(0, 3, meta("KVM_REQ_PMI made", "int")),
  /** A host counter's PMI reached the guest's vector (kvm_handle_guest_mediated_pmi made KVM_REQ_PMI for it). */
  hostPmiToGuest: flag(meta("host PMI delivered to the guest", "yes-no")),
  /**
   * A host counter's overflow was still in GLOBAL_STATUS when intel_mediated_pmu_load loaded the
   * guest's, or when intel_mediated_pmu_put saved it as the guest's: perf never sees it.
   */
  hostOverflowLost: flag(meta("host overflow taken by KVM (load or put)", "yes-no")),
  /** A VM-entry failed (the run then stops: KVM_EXIT_FAIL_ENTRY). */
  failedEntry: flag(meta("VM-entry failed", "yes-no", { hidden: true })),
  /**
   * Run-loop steps since the last VM-exit. It is state like any other field, so a patched run
   * loop that cycles without reaching VM-exit makes it grow until the machine stops the run.
   */
  watchdog: int(0, STEP_BUDGET + 1, meta("run-loop steps since VM-exit", "int", { hidden: true })),
} as const;

export type KvmState = ViewOf<typeof KVM_SPEC>;

/** The part of the world KVM reads and writes. */
export interface KvmWorld extends PerfWorld {
  readonly kvm: KvmState;
}
