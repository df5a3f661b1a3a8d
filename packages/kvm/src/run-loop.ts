import { vmEntry } from "@switchlab/hardware";
import type { KernelVersion } from "@switchlab/perf";
import { step as defineStep, type Sequence, type Step } from "@switchlab/policy-api";
import type { KvmEnv } from "./env.js";
import { runLoopInsns } from "./insns.js";
import { EXIT_FASTPATH, EXIT_NMI, type KvmWorld } from "./kvm-state.js";
import { RUN_LOOP, RUN_LOOP_RIP_BASE, STEP } from "./steps.js";
import { atomicSwitchPerfMsrsSteps } from "./vmx/vmx.js";

type S = Step<KvmWorld, KvmEnv>;
const VMX_C = "arch/x86/kvm/vmx/vmx.c";
const X86_C = "arch/x86/kvm/x86.c";

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
export function runLoopSequence(kernel: KernelVersion): Sequence<KvmWorld, KvmEnv> {
  const n = runLoopInsns(kernel);
  const v511 = kernel === "v5.11";
  const steps: S[] = [
    step(STEP.irqDisable, "vcpu_enter_guest", X86_C, kernel, n.irqDisable, nothing),
    // The `reenter_guest:` label at the top of vmx_vcpu_run (v5.11; later versions call vmx_vcpu_run
    // again from vcpu_enter_guest's fastpath loop), up to atomic_switch_perf_msrs.
    step(STEP.reenter, "vmx_vcpu_run", VMX_C, kernel, n.reenter, nothing),
    ...atomicSwitchPerfMsrsSteps(kernel),
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
  if (!v511) {
    steps.push(
      step(STEP.handleNmiV616, "vmx_handle_nmi", VMX_C, kernel, n.exitToNmi, (w, env) => {
        if (w.kvm.exitReason === EXIT_NMI) handleNmiExit(w, env);
        return undefined;
      }),
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
    step(STEP.handleExitIrqoff, "vmx_handle_exit_irqoff", VMX_C, kernel, n.exitIrqoff, (w, env) => {
      if (v511 && w.kvm.exitReason === EXIT_NMI) handleNmiExit(w, env);
      return undefined;
    }),
    step(STEP.irqEnable, "vcpu_enter_guest", X86_C, kernel, n.irqEnable, nothing),
    step(STEP.irqsOn, "vcpu_enter_guest", X86_C, kernel, 0, (w, env) => {
      // The next vcpu_enter_guest, unless the bound is reached or KVM_REQ_VM_DEAD is pending
      // (kvm_check_request at its top: KVM_RUN returns -EIO and the VM is dead).
      if (w.kvm.roundTrips < env.kvm.maxRoundTrips && !w.kvm.vmDead) return STEP.irqDisable;
      // vcpu_put: the vCPU is no longer loaded on this CPU.
      w.kvm.loaded = 0;
      return STEP.done;
    }),
    step(STEP.done, "kvm_arch_vcpu_ioctl_run", X86_C, kernel, 0, () => STEP.done),
  );
  return { id: RUN_LOOP, title: `vCPU run loop (${kernel})`, steps };
}
