import type { KernelVersion } from "@switchlab/perf";

/**
 * How many instructions the kernel code behind each run-loop step executes, per version: the
 * lengths PMI delivery latency is measured against.
 *
 * How counted: Linux v5.11, v6.16.1 and 7.1.5 were built with gcc 12 (x86-64 defconfig plus KVM,
 * KVM_INTEL and CPU_MITIGATIONS), and the objects of vmx.c, vmenter.S, x86.c, pmu_intel.c,
 * lapic.c, events/intel/core.c and kernel/nmi.c disassembled; the common path was walked
 * instruction by instruction, callees included (every executed instruction counts 1; static keys
 * and alternatives resolved for a modern eIBRS server not affected by L1TF or MDS, preemption
 * timer on, no nested guest, tracepoints off). Where a figure is marked "source", it is an
 * estimate from the C, not counted. The ranges over configurations and mitigations are in the
 * README ("Timing in instructions"). 7.1.5 stands for v7.3 (the series did not change these paths).
 */
export interface RunLoopInsns {
  /** vcpu_enter_guest from local_irq_disable to the vmx_vcpu_run call (source). */
  readonly irqDisable: number;
  /** vmx_vcpu_run (v5.11: from reenter_guest) up to the call of atomic_switch_perf_msrs. */
  readonly reenter: number;
  /** atomic_switch_perf_msrs' prologue, perf_guest_get_msrs and intel_guest_get_msrs (no-isolation: two entries). */
  readonly getMsrs: number;
  /** The loop's compare for one entry. */
  readonly loopCompare: number;
  /** clear_atomic_switch_msr of GLOBAL_CTRL through the VMCS fields. */
  readonly clearGlobalCtrl: number;
  /** clear_atomic_switch_msr of an MSR on no list (two slot scans of a short list). */
  readonly clearListMsr: number;
  /** add_atomic_switch_msr of GLOBAL_CTRL through the VMCS fields (two VMWRITEs). */
  readonly addGlobalCtrl: number;
  /** add_atomic_switch_msr of PEBS_ENABLE: the call and `wrmsr(MSR_IA32_PEBS_ENABLE, 0)`. */
  readonly pebsQuiesce: number;
  /** The rest of add_atomic_switch_msr for an MSR on the lists (slot lookups, two stores). */
  readonly addListMsr: number;
  /** vmx_vcpu_run after atomic_switch_perf_msrs: LBR passthrough check, vmx_update_hv_timer, kvm_wait_lapic_expire. */
  readonly timers: number;
  /** v5.11 x86_spec_ctrl_set_guest; v6.16 and later __vmx_vcpu_run_flags. */
  readonly specCtrl: number;
  /** vmx_vcpu_enter_exit up to __vmx_vcpu_run: guest_state_enter_irqoff (rcu_note_context_switch), L1D/VERW checks, CR2. */
  readonly enterIrqoff: number;
  /** __vmx_vcpu_run: pushes, vmx_update_host_rsp, SPEC_CTRL, 16 register loads, VMRESUME. */
  readonly vmresume: number;
  /** VM-exit to the call of the NMI handler (v6.16 and later: vmx_handle_nmi in vmx_vcpu_enter_exit). */
  readonly exitToNmi: number;
  /** Then (or, in v5.11, from the VM-exit) to the fastpath decision and vmx_vcpu_run's return. */
  readonly toFastpath: number;
  /** v5.11: vcpu_enter_guest to handle_exit_irqoff's call of the NMI handler. */
  readonly exitIrqoff: number;
  /** vcpu_enter_guest from handle_exit_irqoff to local_irq_enable (source). */
  readonly irqEnable: number;
}

const V5_11: RunLoopInsns = {
  irqDisable: 40,
  reenter: 83,
  getMsrs: 35,
  loopCompare: 13,
  clearGlobalCtrl: 23,
  clearListMsr: 49,
  addGlobalCtrl: 66,
  pebsQuiesce: 10,
  addListMsr: 46,
  timers: 40,
  specCtrl: 39,
  enterIrqoff: 36,
  vmresume: 35,
  exitToNmi: 0,
  toFastpath: 197,
  exitIrqoff: 69,
  irqEnable: 30,
};

const V6_16: RunLoopInsns = {
  irqDisable: 40,
  reenter: 88,
  getMsrs: 46,
  loopCompare: 13,
  clearGlobalCtrl: 21,
  clearListMsr: 55,
  addGlobalCtrl: 45,
  pebsQuiesce: 10,
  addListMsr: 52,
  timers: 41,
  specCtrl: 15,
  enterIrqoff: 79,
  vmresume: 44,
  exitToNmi: 97,
  toFastpath: 127,
  exitIrqoff: 0,
  irqEnable: 30,
};

/**
 * v6.1.y: not counted (no 6.1 build was disassembled). 6.1.192's atomic_switch_perf_msrs and
 * add/clear_atomic_switch_msr have v6.16.1's shape (kvm_pmu argument, the cross-mapped check,
 * printk_once on a full list: vmx.c l.7060-7081, l.972-1030), so the switch path takes v6.16's
 * figures; its NMI exit is handled where v5.11 handles it (handle_exit_irqoff, l.6912-6923), so the
 * exit path takes v5.11's (exitToNmi 0, toFastpath, exitIrqoff). An estimate by analogy: a PMI
 * latency frontier at v6.1.y is as good as these figures.
 */
const V6_1_Y: RunLoopInsns = {
  ...V6_16,
  exitToNmi: V5_11.exitToNmi,
  toFastpath: V5_11.toFastpath,
  exitIrqoff: V5_11.exitIrqoff,
};

const V7: RunLoopInsns = {
  irqDisable: 40,
  reenter: 66,
  getMsrs: 48,
  loopCompare: 14,
  clearGlobalCtrl: 18,
  clearListMsr: 58,
  addGlobalCtrl: 42,
  pebsQuiesce: 10,
  addListMsr: 75,
  timers: 41,
  specCtrl: 16,
  enterIrqoff: 73,
  vmresume: 43,
  exitToNmi: 99,
  toFastpath: 90,
  exitIrqoff: 0,
  irqEnable: 30,
};

/**
 * The VMX transitions themselves, in the unit of every step (instructions retired by the context
 * a pending PMI waits in). A VM-entry is the VMRESUME instruction (SDM Vol. 3C, "VM Entries": VM
 * entry is performed by VMLAUNCH or VMRESUME), already the last of `vmresume`'s count (7.1.5
 * arch/x86/kvm/vmx/vmenter.S l.166-167), so the entry adds nothing more. A VM-exit retires no
 * instruction in either context (SDM Vol. 3C, "VM Exits" and "Architectural State Before a VM
 * Exit": an instruction that causes a VM exit does not execute, and an event-caused exit happens
 * at an instruction boundary); the host resumes at HOST_RIP, vmx_vmexit (vmenter.S l.177), and
 * every instruction from there is in `exitToNmi` and `toFastpath` (v5.11: `toFastpath`). The
 * transitions take hundreds of cycles, but cycles are not the latency's unit
 * (assumptions/pmi-latency.ts), so a window that spans a VM-exit is its host code alone:
 * machine.ts's exit actions cost `vmExit`.
 */
export const VMX_TRANSITION_INSNS = { vmEntryInVmresume: 1, vmExit: 0 } as const;

export function runLoopInsns(kernel: KernelVersion): RunLoopInsns {
  const table: Record<KernelVersion, RunLoopInsns> = { "v5.11": V5_11, "v6.1.y": V6_1_Y, "v6.16": V6_16, "v7.3": V7 };
  return table[kernel];
}
