import { bits } from "@switchlab/explorer";
import {
  MAX_GP_COUNTERS,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  MSR_IA32_PERFCTR0,
  meta,
  PMC_PERIOD,
  writeMsr,
} from "@switchlab/hardware";
import type { ModelEnv } from "./env.js";
import type { World } from "./world.js";

/**
 * The mediated guest's program: a guest kernel that uses its PMU, within a budget of writes
 * (assumptions/guest-writes.ts). With the mediated vPMU KVM passes the guest's counters
 * (IA32_PMCk / IA32_A_PMCk), GLOBAL_CTRL, GLOBAL_STATUS and GLOBAL_OVF_CTRL through
 * (vmx_recalc_pmu_msr_intercepts, 7.1.5 arch/x86/kvm/vmx/vmx.c l.4198-4252: `intercept =
 * !has_mediated_pmu` for the counters, kvm_need_perf_global_ctrl_intercept for the three global
 * MSRs), so a guest WRMSR of them changes the hardware MSR at once, with no VM-exit; the event
 * selectors stay intercepted (KVM filters events: intel_pmu_set_msr sets pmc->eventsel_hw,
 * 7.1.5 pmu_intel.c l.434-438) and are not among the guest's writes here.
 *
 * The guest's writes, each one of the budget, taken only in VMX non-root:
 * - `guest:global-ctrl`: WRMSR GLOBAL_CTRL, switching its counters off (0) or back on (its
 *   counters' mask), as a guest perf's x86_pmu_disable_all / enable_all do;
 * - `guest:ack`: what a guest PMI handler does with the overflows it reads in GLOBAL_STATUS
 *   (Linux's intel_pmu_handle_irq): WRMSR GLOBAL_OVF_CTRL with them, and a new period into each
 *   overflowed counter (x86_perf_event_set_period). A guest polling its status does the same.
 * Guest overflows and the guest's PMIs are the machine's overflow and NMI actions on counters
 * holding the guest's values.
 *
 * Beside the program, the guest's own record of what it programmed and was told (ghost state,
 * no kernel or CPU holds it): what the properties compare the hardware with while the guest runs.
 */
export const GUEST_SPEC = {
  /** The GLOBAL_CTRL the guest last wrote (its counters' mask at the start). */
  ctrl: bits(MAX_GP_COUNTERS, meta("guest's GLOBAL_CTRL (as it wrote it)", "counters", { timeline: true })),
  /** The guest's counters holding a period it wrote (cleared when one overflows and wraps). */
  armed: bits(MAX_GP_COUNTERS, meta("guest's counters holding its period", "counters", { hidden: true })),
  /** The guest's overflows it has not acknowledged: its GLOBAL_STATUS as the architecture defines it. */
  status: bits(MAX_GP_COUNTERS, meta("guest's GLOBAL_STATUS (its overflows not yet acked)", "counters")),
} as const;

/** `guest:global-ctrl`: the guest writes GLOBAL_CTRL. */
export const GUEST_WRITE_CTRL = 0;
/** `guest:ack`: the guest acknowledges its overflows and re-arms the counters. */
export const GUEST_ACK = 1;
/** The guest's writes as action names (machine.ts actionName). */
export const GUEST_WRITE_NAMES = ["guest:global-ctrl", "guest:ack"] as const;

/** The guest's GP counters' overflow bits in GLOBAL_STATUS as it reads them. */
function statusRead(w: World, env: ModelEnv): number {
  return w.hw.globalStatus & ((1 << env.hw.numGp) - 1);
}

/** Whether the guest's write `arg` means anything now (the guest runs; the budget is the machine's). */
export function guestWriteEnabled(w: World, env: ModelEnv, arg: number): boolean {
  if (arg === GUEST_ACK) return statusRead(w, env) !== 0;
  return true;
}

/** The guest's write `arg`, in VMX non-root: passthrough WRMSRs change the hardware directly. */
export function guestWrite(w: World, env: ModelEnv, arg: number): void {
  const counters = env.kvm.mediated?.counters ?? 0;
  if (arg === GUEST_WRITE_CTRL) {
    const v = w.guest.ctrl ? 0 : counters;
    env.obs.event(`guest: WRMSR GLOBAL_CTRL = 0x${v.toString(16)} (passed through)`);
    writeMsr(w.hw, MSR_CORE_PERF_GLOBAL_CTRL, v, "wrmsr", env.obs);
    w.guest.ctrl = v;
    return;
  }
  const s = statusRead(w, env);
  env.obs.event(`guest: PMI handler acks GLOBAL_STATUS 0x${s.toString(16)} and re-arms its counters (passed through)`);
  writeMsr(w.hw, MSR_CORE_PERF_GLOBAL_OVF_CTRL, s, "wrmsr", env.obs);
  for (let k = 0; k < env.hw.numGp; k++)
    if ((s >>> k) & 1) writeMsr(w.hw, MSR_IA32_PERFCTR0 + k, PMC_PERIOD, "wrmsr", env.obs);
  w.guest.status &= ~s;
  w.guest.armed |= s & counters;
}

/**
 * A counter holding the guest's values overflowed (hardware pmu.ts overflowGp ran): the guest's
 * own record follows the architecture, its counter wrapped and its status bit set.
 */
export function guestCounterOverflowed(w: World, k: number): void {
  const bit = 1 << k;
  if (!(w.hw.evtselGuest & bit)) return;
  w.guest.armed &= ~bit;
  if (w.hw.globalStatus & bit) w.guest.status |= bit;
}
