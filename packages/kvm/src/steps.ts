/** Id of the vCPU run-loop sequence. */
export const RUN_LOOP = "vcpu_run";

/** Program-point numbers of the run loop start here (nmi.c's last_nmi_rip compares them). */
export const RUN_LOOP_RIP_BASE = 0x100;

/** Step ids the machine and policies refer to. */
export const STEP = {
  irqDisable: "vcpu_enter_guest:local_irq_disable",
  // kvm_mediated_pmu_load (the mediated vPMU, 7.1.5 x86.c l.11437), in order.
  loadCtxDisable: "perf_load_guest_context:perf_ctx_disable",
  loadCtxSchedOut: "perf_load_guest_context:ctx_sched_out",
  loadCtxEnable: "perf_load_guest_context:perf_ctx_enable",
  loadQuiesce: "kvm_mediated_pmu_load:wrmsr-global-ctrl-0",
  loadLvtpcWrite: "perf_load_guest_lvtpc:apic_write",
  loadLvtpcFlag: "perf_load_guest_lvtpc:guest_lvtpc_loaded",
  loadPmcs: "kvm_pmu_load_guest_pmcs",
  loadIntel: "intel_mediated_pmu_load",
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
  refreshGlobalCtrl: "vmx_vcpu_run:vmx_refresh_guest_perf_global_control",
  fastpath: "vmx_vcpu_run:vmx_exit_handlers_fastpath",
  // kvm_mediated_pmu_put (x86.c l.11477), in order.
  putIntel: "intel_mediated_pmu_put",
  putPmcs: "kvm_pmu_put_guest_pmcs",
  putLvtpcFlag: "perf_put_guest_lvtpc:guest_lvtpc_loaded",
  putLvtpcWrite: "perf_put_guest_lvtpc:apic_write",
  putCtxDisable: "perf_put_guest_context:perf_ctx_disable",
  putCtxSchedIn: "perf_put_guest_context:perf_event_sched_in",
  putCtxEnable: "perf_put_guest_context:perf_ctx_enable",
  handleExitIrqoff: "vcpu_enter_guest:handle_exit_irqoff",
  irqEnable: "vcpu_enter_guest:local_irq_enable",
  irqsOn: "vcpu_enter_guest:irqs-on",
  done: "kvm:vcpu-stopped",
} as const;
