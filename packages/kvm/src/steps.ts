/** Id of the vCPU run-loop sequence. */
export const RUN_LOOP = "vcpu_run";

/** Program-point numbers of the run loop start here (nmi.c's last_nmi_rip compares them). */
export const RUN_LOOP_RIP_BASE = 0x100;

/** Step ids the machine and policies refer to. */
export const STEP = {
  irqDisable: "vcpu_enter_guest:local_irq_disable",
  reenter: "vmx_vcpu_run:reenter_guest",
  getMsrs: "atomic_switch_perf_msrs:perf_guest_get_msrs",
  forEachMsr: "atomic_switch_perf_msrs:for-each-msr",
  quiesce: "add_atomic_switch_msr:wrmsr-pebs-enable-0",
  store: "add_atomic_switch_msr:store",
  afterSwitch: "vmx_vcpu_run:after-perf-switch",
  timers: "vmx_vcpu_run:update_hv_timer",
  specCtrl: "vmx_vcpu_run:spec_ctrl",
  enterIrqoff: "vmx_vcpu_enter_exit:guest_state_enter_irqoff",
  vmEntry: "vmx_vcpu_run:vm-entry",
  guest: "guest:running",
  handleNmiV616: "vmx_vcpu_enter_exit:vmx_handle_nmi",
  fastpath: "vmx_vcpu_run:vmx_exit_handlers_fastpath",
  handleExitIrqoff: "vcpu_enter_guest:handle_exit_irqoff",
  irqEnable: "vcpu_enter_guest:local_irq_enable",
  irqsOn: "vcpu_enter_guest:irqs-on",
  done: "kvm:vcpu-stopped",
} as const;
