import { vmEntry } from "@switchlab/hardware";
import type { KernelVersion } from "@switchlab/perf";
import { step as defineStep, type Sequence, type Step } from "@switchlab/policy-api";
import type { KvmEnv } from "./env.js";
import { EXIT_FASTPATH, EXIT_NMI, type KvmWorld } from "./kvm-state.js";
import { RUN_LOOP, RUN_LOOP_RIP_BASE, STEP } from "./steps.js";
import { atomicSwitchPerfMsrsSteps } from "./vmx/vmx.js";

type S = Step<KvmWorld, KvmEnv>;
const VMX_C = "arch/x86/kvm/vmx/vmx.c";
const X86_C = "arch/x86/kvm/x86.c";

function step(id: string, fn: string, file: string, version: string, run: S["run"], label?: S["label"]): S {
  return defineStep<KvmWorld, KvmEnv>(id, fn, file, version, run, label);
}

/** Run the host NMI handler KVM invokes for an NMI VM-exit (the NMI stays blocked until its IRET). */
function handleNmiExit(w: KvmWorld, env: KvmEnv): void {
  env.obs.call("kvm_before_interrupt", "host NMI handler for the NMI VM-exit");
  env.k.nmi.defaultDoNmi(w, env, RUN_LOOP_RIP_BASE + w.kvm.pc);
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
  const steps: S[] = [
    step(STEP.irqDisable, "vcpu_enter_guest", X86_C, "v5.11", () => undefined),
    // The `reenter_guest:` label at the top of vmx_vcpu_run (v5.11; v6.16 re-calls vmx_vcpu_run from
    // vcpu_enter_guest's loop): what runs before atomic_switch_perf_msrs (xsave, PT) is not modelled.
    step(STEP.reenter, "vmx_vcpu_run", VMX_C, kernel, () => undefined),
    ...atomicSwitchPerfMsrsSteps(kernel),
    // atomic_switch_perf_msrs has returned; vmx_vcpu_run goes on to VM-entry (hv timer, lapic
    // expiry and spec-ctrl, not modelled). Patches that act "right before VM-entry" go after this.
    step(STEP.afterSwitch, "vmx_vcpu_run", VMX_C, kernel, () => undefined),
    step(STEP.vmEntry, "__vmx_vcpu_run", "arch/x86/kvm/vmx/vmenter.S", "v5.11", (w, env) => {
      vmEntry(w.hw, env.obs);
      return undefined;
    }),
    // The guest runs until a VM-exit; the machine offers the exits, so this step never runs itself.
    step(STEP.guest, "guest", "(VMX non-root)", "SDM", () => STEP.guest),
  ];
  if (kernel === "v6.16") {
    steps.push(
      step(STEP.handleNmiV616, "vmx_handle_nmi", VMX_C, "v6.16", (w, env) => {
        if (w.kvm.exitReason === EXIT_NMI) handleNmiExit(w, env);
        return undefined;
      }),
    );
  }
  steps.push(
    step(STEP.fastpath, "vmx_exit_handlers_fastpath", VMX_C, kernel, (w, env) => {
      // EXIT_FASTPATH_REENTER_GUEST unless kvm_vcpu_exit_request (here: the round-trip bound).
      if (w.kvm.exitReason === EXIT_FASTPATH && w.kvm.roundTrips < env.kvm.maxRoundTrips) return STEP.reenter;
      return undefined;
    }),
    step(STEP.handleExitIrqoff, "vmx_handle_exit_irqoff", VMX_C, "v5.11", (w, env) => {
      if (kernel === "v5.11" && w.kvm.exitReason === EXIT_NMI) handleNmiExit(w, env);
      return undefined;
    }),
    step(STEP.irqEnable, "vcpu_enter_guest", X86_C, "v5.11", () => undefined),
    step(STEP.irqsOn, "vcpu_enter_guest", X86_C, "v5.11", (w, env) =>
      w.kvm.roundTrips < env.kvm.maxRoundTrips ? STEP.irqDisable : STEP.done,
    ),
    step(STEP.done, "kvm_arch_vcpu_ioctl_run", X86_C, "v5.11", () => STEP.done),
  );
  return { id: RUN_LOOP, title: `vCPU run loop (${kernel})`, steps };
}
