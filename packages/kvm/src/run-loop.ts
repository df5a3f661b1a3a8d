import { vmEntry } from "@switchlab/hardware";
import { type KernelVersion, kernelHas } from "@switchlab/perf";
import { step as defineStep, type Sequence, type Step } from "@switchlab/policy-api";
import type { KvmEnv } from "./env.js";
import { runLoopInsns } from "./insns.js";
import {
  EXIT_EXTINT,
  EXIT_FAILED_ENTRY,
  EXIT_FASTPATH,
  EXIT_FORGOTTEN,
  EXIT_FORGOTTEN_FASTPATH,
  EXIT_NMI,
  type KvmWorld,
} from "./kvm-state.js";
import { RUN_LOOP, RUN_LOOP_RIP_BASE, STEP } from "./steps.js";
import { atomicSwitchPerfMsrsSteps } from "./vmx/vmx.js";

type S = Step<KvmWorld, KvmEnv>;
const VMX_C = "arch/x86/kvm/vmx/vmx.c";
const X86_C = "arch/x86/kvm/x86.c";
const PMU_C = "arch/x86/kvm/pmu.c";
const PMU_INTEL_C = "arch/x86/kvm/vmx/pmu_intel.c";
const EVENTS_CORE_C = "kernel/events/core.c";
const X86_EVENTS_CORE_C = "arch/x86/events/core.c";

/**
 * Lengths of the mediated vPMU's steps, in instructions: source estimates from the 7.1.5 C (the
 * middle of each range read off the code; not counted from objects), README "Timing in
 * instructions". Per host event scheduled out or in, ctx_sched_out / perf_event_sched_in add
 * the per-event figure.
 */
export const MEDIATED_INSNS = {
  ctxDisable: 150,
  ctxSchedOut: 150,
  ctxSchedOutPerEvent: 275,
  ctxEnable: 150,
  quiesce: 8,
  lvtpcWrite: 18,
  lvtpcFlag: 2,
  loadPmcs: 185,
  intelLoad: 28,
  refreshSave: 20,
  refreshAutostore: 35,
  intelPut: 22,
  putPmcs: 185,
  schedIn: 150,
  schedInPerEvent: 350,
} as const;

/** Options of the run loop beyond the kernel version: the mediated vPMU, with the host events perf_put_guest_context gives back. */
export interface RunLoopOptions {
  readonly mediated?: { readonly hostEvents: readonly { readonly event: number; readonly counter: number }[] };
}

/** Vector 0xf5 waiting in the IRR or acked at an external-interrupt exit: sysvec_perf_guest_mediated_pmi_handler runs (IRQs on, or handle_exit_irqoff). */
function dispatchGuestPmiVector(w: KvmWorld, env: KvmEnv): void {
  const owners = w.hw.vpmiIrr;
  if (!owners) return;
  w.hw.vpmiIrr = 0;
  env.kk.pmu.kvmHandleGuestMediatedPmi(w, env, owners);
}

function step(
  id: string,
  fn: string,
  file: string,
  version: string,
  insns: S["insns"],
  run: S["run"],
  label?: S["label"],
): S {
  return defineStep<KvmWorld, KvmEnv>(id, fn, file, version, insns, run, label);
}

const nothing = () => undefined;

/** A step that calls one kernel function and falls through to the next step. */
function calls(
  id: string,
  fn: string,
  file: string,
  version: string,
  insns: S["insns"],
  f: (w: KvmWorld, env: KvmEnv) => void,
): S {
  return step(id, fn, file, version, insns, (w, env) => {
    f(w, env);
    return undefined;
  });
}

/**
 * Run the host NMI handler KVM invokes for an NMI VM-exit (the NMI stays blocked until its IRET).
 * KVM calls it through an IRET frame whose ip is the return address in the step, so the handler's
 * regs->ip (nmi.c's last_nmi_rip) is where the run loop resumes: the next step's program point,
 * the same point an NMI latched during the handler interrupts right after the IRET (back to back).
 */
function handleNmiExit(w: KvmWorld, env: KvmEnv): void {
  env.obs.call("kvm_before_interrupt", "host NMI handler for the NMI VM-exit");
  env.k.nmi.defaultDoNmi(w, env, RUN_LOOP_RIP_BASE + w.kvm.pc + 1);
  env.k.nmi.iret(w);
}

/**
 * The vCPU run loop as named steps: vcpu_enter_guest (x86.c) around vmx_vcpu_run (vmx.c).
 * v5.11 order: local_irq_disable -> reenter_guest: -> atomic_switch_perf_msrs (perf_guest_get_msrs,
 * then clear or add per entry; add for PEBS_ENABLE first writes 0) -> VM-entry -> guest ->
 * VM-exit -> vmx_exit_handlers_fastpath (a fastpath exit goes back to reenter_guest with IRQs
 * still off) -> handle_exit_irqoff (an NMI exit runs the host NMI handler here) ->
 * local_irq_enable -> next iteration.
 * v6.16: the NMI handler runs inside vmx_vcpu_enter_exit right after the VM-exit (vmx_handle_nmi),
 * before the fastpath; the fastpath loop moved to vcpu_enter_guest but still re-runs
 * vmx_vcpu_run, and so atomic_switch_perf_msrs, each time.
 */
export function runLoopSequence(kernel: KernelVersion, opts: RunLoopOptions = {}): Sequence<KvmWorld, KvmEnv> {
  const n = runLoopInsns(kernel);
  // v5.11 and v6.1.y run the NMI handler of an NMI exit from handle_exit_irqoff (6.1.192 vmx.c
  // l.6912-6923); v6.16 on, from vmx_vcpu_enter_exit (vmx_handle_nmi).
  const nmiAtIrqoff = !kernelHas(kernel, "nmi-exit-in-enter-exit");
  const med = opts.mediated;
  const m = MEDIATED_INSNS;
  const hostOut = (w: KvmWorld, env: KvmEnv) =>
    env.perf.events.filter((e, i) => e.excludeGuest && (w.perf.evIdx[i] as number) >= 0).length;
  const steps: S[] = [
    step(STEP.irqDisable, "vcpu_enter_guest", X86_C, kernel, n.irqDisable, nothing),
    // kvm_mediated_pmu_load (pmu.c l.1327-1357), once per vcpu_enter_guest, after local_irq_disable.
    ...(med
      ? [
          calls(STEP.loadCtxDisable, "perf_load_guest_context", EVENTS_CORE_C, kernel, m.ctxDisable, (w, env) =>
            env.k.events.perfLoadGuestContextDisable(w, env),
          ),
          calls(
            STEP.loadCtxSchedOut,
            "perf_load_guest_context",
            EVENTS_CORE_C,
            kernel,
            (w, env) => m.ctxSchedOut + m.ctxSchedOutPerEvent * hostOut(w, env),
            (w, env) => env.k.events.perfLoadGuestContextSchedOut(w, env),
          ),
          calls(STEP.loadCtxEnable, "perf_load_guest_context", EVENTS_CORE_C, kernel, m.ctxEnable, (w, env) =>
            env.k.events.perfLoadGuestContextEnable(w, env),
          ),
          calls(STEP.loadQuiesce, "kvm_mediated_pmu_load", PMU_C, kernel, m.quiesce, (w, env) =>
            env.kk.pmu.kvmMediatedPmuLoadQuiesce(w, env),
          ),
          calls(STEP.loadLvtpcWrite, "perf_load_guest_lvtpc", X86_EVENTS_CORE_C, kernel, m.lvtpcWrite, (w, env) =>
            env.k.x86.perfLoadGuestLvtpcWrite(w, env, false),
          ),
          calls(STEP.loadLvtpcFlag, "perf_load_guest_lvtpc", X86_EVENTS_CORE_C, kernel, m.lvtpcFlag, (w, env) =>
            env.k.x86.perfLoadGuestLvtpcFlag(w, env),
          ),
          calls(STEP.loadPmcs, "kvm_pmu_load_guest_pmcs", PMU_C, kernel, m.loadPmcs, (w, env) =>
            env.kk.pmu.kvmPmuLoadGuestPmcs(w, env),
          ),
          calls(STEP.loadIntel, "intel_mediated_pmu_load", PMU_INTEL_C, kernel, m.intelLoad, (w, env) =>
            env.kk.pmuIntel.intelMediatedPmuLoad(w, env),
          ),
        ]
      : []),
    // The `reenter_guest:` label at the top of vmx_vcpu_run (v5.11; later versions call vmx_vcpu_run
    // again from vcpu_enter_guest's fastpath loop), up to atomic_switch_perf_msrs.
    step(STEP.reenter, "vmx_vcpu_run", VMX_C, kernel, n.reenter, nothing),
    ...atomicSwitchPerfMsrsSteps(kernel, med !== undefined),
    // atomic_switch_perf_msrs has returned. What vmx_vcpu_run runs until VMRESUME touches no PMU
    // MSR, but it takes time, and a PMI raised before it may be taken anywhere in it (insns.ts).
    step(STEP.afterSwitch, "vmx_vcpu_run", VMX_C, kernel, 0, nothing),
    // vmx_update_hv_timer and kvm_wait_lapic_expire.
    step(STEP.timers, "vmx_vcpu_run", VMX_C, kernel, n.timers, nothing),
    // v5.11 x86_spec_ctrl_set_guest; v6.16 __vmx_vcpu_run_flags.
    step(STEP.specCtrl, "vmx_vcpu_run", VMX_C, kernel, n.specCtrl, nothing),
    // v5.11 kvm_guest_enter_irqoff, v6.16 guest_state_enter_irqoff; the L1D flush and VERW checks.
    step(STEP.enterIrqoff, "vmx_vcpu_enter_exit", VMX_C, kernel, n.enterIrqoff, nothing),
    step(STEP.vmEntry, "__vmx_vcpu_run", "arch/x86/kvm/vmx/vmenter.S", kernel, n.vmresume, (w, env) => {
      vmEntry(w.hw, env.hw, env.obs);
      return undefined;
    }),
    // The guest runs until a VM-exit; the machine offers the exits, so this step never runs itself.
    step(STEP.guest, "guest", "(VMX non-root)", "SDM", 0, () => STEP.guest),
  ];
  if (!nmiAtIrqoff) {
    steps.push(
      step(STEP.handleNmiV616, "vmx_handle_nmi", VMX_C, kernel, n.exitToNmi, (w, env) => {
        if (w.kvm.exitReason === EXIT_NMI) handleNmiExit(w, env);
        return undefined;
      }),
    );
  }
  if (med) {
    // vmx_vcpu_run after vmx_vcpu_enter_exit (7.1.5 l.7652-7662): skipped when the entry failed.
    steps.push(
      step(
        STEP.refreshGlobalCtrl,
        "vmx_refresh_guest_perf_global_control",
        VMX_C,
        kernel,
        (_w, env) => (env.kvm.savePerfGlobalCtrl ? m.refreshSave : m.refreshAutostore),
        (w, env) => {
          if (w.kvm.exitReason !== EXIT_FAILED_ENTRY) env.kk.vmx.vmxRefreshGuestPerfGlobalControl(w, env);
          return undefined;
        },
      ),
    );
  }
  steps.push(
    step(STEP.fastpath, "vmx_exit_handlers_fastpath", VMX_C, kernel, n.toFastpath, (w, env) => {
      // EXIT_FASTPATH_REENTER_GUEST unless kvm_vcpu_exit_request (here: the round-trip bound, or
      // KVM_REQ_VM_DEAD pending after a KVM_BUG_ON).
      if (w.kvm.exitReason === EXIT_FASTPATH && w.kvm.roundTrips < env.kvm.maxRoundTrips && !w.kvm.vmDead)
        return STEP.reenter;
      return undefined;
    }),
    // kvm_mediated_pmu_put (pmu.c l.1388-1407), after the fastpath loop, before handle_exit_irqoff.
    ...(med
      ? [
          calls(STEP.putIntel, "intel_mediated_pmu_put", PMU_INTEL_C, kernel, m.intelPut, (w, env) =>
            env.kk.pmuIntel.intelMediatedPmuPut(w, env),
          ),
          calls(STEP.putPmcs, "kvm_pmu_put_guest_pmcs", PMU_C, kernel, m.putPmcs, (w, env) =>
            env.kk.pmu.kvmPmuPutGuestPmcs(w, env),
          ),
          calls(STEP.putLvtpcFlag, "perf_put_guest_lvtpc", X86_EVENTS_CORE_C, kernel, m.lvtpcFlag, (w, env) =>
            env.k.x86.perfPutGuestLvtpcFlag(w, env),
          ),
          calls(STEP.putLvtpcWrite, "perf_put_guest_lvtpc", X86_EVENTS_CORE_C, kernel, m.lvtpcWrite, (w, env) =>
            env.k.x86.perfPutGuestLvtpcWrite(w, env),
          ),
          calls(STEP.putCtxDisable, "perf_put_guest_context", EVENTS_CORE_C, kernel, m.ctxDisable, (w, env) =>
            env.k.events.perfPutGuestContextDisable(w, env),
          ),
          calls(
            STEP.putCtxSchedIn,
            "perf_put_guest_context",
            EVENTS_CORE_C,
            kernel,
            (w) =>
              m.schedIn +
              m.schedInPerEvent * med.hostEvents.filter((h) => (w.perf.evIdx[h.event] as number) < 0).length,
            (w, env) => env.k.events.perfPutGuestContextSchedIn(w, env, med.hostEvents),
          ),
          calls(STEP.putCtxEnable, "perf_put_guest_context", EVENTS_CORE_C, kernel, m.ctxEnable, (w, env) =>
            env.k.events.perfPutGuestContextEnable(w, env),
          ),
        ]
      : []),
    step(STEP.handleExitIrqoff, "vmx_handle_exit_irqoff", VMX_C, kernel, n.exitIrqoff, (w, env) => {
      if (nmiAtIrqoff && w.kvm.exitReason === EXIT_NMI) handleNmiExit(w, env);
      // handle_external_interrupt_irqoff (7.1.5 vmx.c l.7154-7168): the vector acked at the exit.
      if (w.kvm.exitReason === EXIT_EXTINT) dispatchGuestPmiVector(w, env);
      return undefined;
    }),
    step(STEP.irqEnable, "vcpu_enter_guest", X86_C, kernel, n.irqEnable, (w, env) => {
      // local_irq_enable (7.1.5 x86.c l.11541): a vector 0xf5 pending in the IRR is taken here.
      dispatchGuestPmiVector(w, env);
      return undefined;
    }),
    step(STEP.irqsOn, "vcpu_enter_guest", X86_C, kernel, 0, (w, env) => {
      // The next vcpu_enter_guest, unless the bound is reached, KVM_REQ_VM_DEAD is pending
      // (kvm_check_request at its top: KVM_RUN returns -EIO and the VM is dead), or the entry
      // failed (vmx_handle_exit: KVM_EXIT_FAIL_ENTRY to userspace).
      if (w.kvm.roundTrips < env.kvm.maxRoundTrips && !w.kvm.vmDead && !w.kvm.failedEntry) return STEP.irqDisable;
      // vcpu_put: the vCPU is no longer loaded on this CPU.
      w.kvm.loaded = 0;
      return STEP.done;
    }),
    step(STEP.done, "kvm_arch_vcpu_ioctl_run", X86_C, kernel, 0, () => STEP.done),
  );
  return { id: RUN_LOOP, title: `vCPU run loop (${kernel})`, steps };
}

/**
 * Where the exit reason is live in a run-loop sequence: at the steps after the guest (where a
 * VM-exit or a failed entry leaves the run loop, having written it) up to and including
 * vmx_handle_exit_irqoff, the last step that reads it (vmx_handle_nmi in v6.16 and later,
 * vmx_refresh_guest_perf_global_control, vmx_exit_handlers_fastpath, and
 * vmx_handle_exit_irqoff above; no other step of this sequence reads it). The kernel's
 * vmx_handle_exit, which reads it with IRQs on after local_irq_enable, is not a step of the
 * model: the exit is handled between irqs_on and the next vcpu_enter_guest. From there on, through
 * local_irq_enable, the next vcpu_enter_guest and reenter_guest to the guest, nothing reads it
 * before the next VM-exit writes it, but the `fastpath-reentry` guard, which asks at
 * reenter_guest whether it was a fastpath exit. Anything else that reads it where it is forgotten
 * (a policy's step) is counted, and its row explored again with every value kept (the explorer's
 * README, "Dead values"). A sequence without these steps keeps it everywhere.
 */
export function exitReasonLive(seq: {
  at(stepId: string): number;
  positionOf(stepId: string): number;
}): (pc: number) => boolean {
  let from: number;
  let to: number;
  try {
    from = seq.at(STEP.guest);
    to = seq.positionOf(STEP.handleExitIrqoff);
  } catch {
    return () => true;
  }
  return (pc) => pc > from && pc <= to;
}

/**
 * The explorer's dead-value reduction for the exit reason (like perf nmi.ts forgetDeadRip for
 * last_nmi_rip): after each step, where `live` says no step will read it before the next VM-exit
 * writes it, it is stored as one of two forgotten values, keeping whether the exit was a fastpath
 * exit. `stored` reads the stored value from the words (a view would count the read).
 */
export function forgetDeadExitReason<W extends KvmWorld>(
  w: W,
  stored: (w: W) => number,
  live: (pc: number) => boolean,
): void {
  if (live(w.kvm.pc)) return;
  const reason = stored(w);
  if (reason === EXIT_FORGOTTEN || reason === EXIT_FORGOTTEN_FASTPATH) return;
  w.kvm.exitReason = reason === EXIT_FASTPATH ? EXIT_FORGOTTEN_FASTPATH : EXIT_FORGOTTEN;
}

/** Whether a stored exit reason, forgotten or not, is a fastpath exit's. */
export function exitWasFastpath(stored: number): boolean {
  return stored === EXIT_FASTPATH || stored === EXIT_FORGOTTEN_FASTPATH;
}
