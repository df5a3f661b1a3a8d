import {
  ENTRY_LOAD_GLOBAL_CTRL,
  EXIT_LOAD_GLOBAL_CTRL,
  listFind,
  listPut,
  listRemove,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_PEBS_ENABLE,
  msrName,
  packEntry,
  wrmsr,
} from "@switchlab/hardware";
import { type KernelVersion, kernelAtLeast } from "@switchlab/perf";
import { type Step, step } from "@switchlab/policy-api";
import { injectable } from "tsyringe";
import type { KvmEnv } from "../env.js";
import { runLoopInsns } from "../insns.js";
import type { KvmWorld } from "../kvm-state.js";
import { STEP } from "../steps.js";

/**
 * The first modelled version in which a full autoload list is a KVM bug that kills the VM
 * (vmx_add_auto_msr: `if (KVM_BUG_ON(m->nr == MAX_NR_LOADSTORE_MSRS, kvm)) return;`, vmx.c
 * l.1063-1071 in 7.1.5); before, add_atomic_switch_msr printk_once'd "Not enough msr switch
 * entries" and left the MSR unswitched (v5.11, v6.16).
 */
export const LIST_FULL_KILLS_VM_FROM: KernelVersion = "v7.3";

/** One entry of the array atomic_switch_perf_msrs iterates. */
export interface SwitchEntry {
  readonly msr: number;
  readonly host: number;
  readonly guest: number;
}

export function switchEntryAt(w: KvmWorld, i: number): SwitchEntry | undefined {
  const m = w.kvm.msrs;
  if (3 * i + 2 >= m.length) return undefined;
  return { msr: m.at(3 * i), host: m.at(3 * i + 1), guest: m.at(3 * i + 2) };
}

/**
 * arch/x86/kvm/vmx/vmx.c (v5.11; v6.16 textually the same for these functions apart from the
 * perf_guest_get_msrs argument): the perf MSR switch around VM-entry.
 */
@injectable()
export class Vmx {
  /**
   * atomic_switch_perf_msrs, first half: `msrs = perf_guest_get_msrs(&nr_msrs)` (v6.16 passes
   * the vCPU's kvm_pmu). The array is perf's per-CPU guest_switch_msrs: a snapshot of
   * cpuc->pebs_enabled taken now.
   */
  perfGuestGetMsrs(w: KvmWorld, env: KvmEnv): void {
    const arr = env.k.intel.perfGuestGetMsrs(w, env, env.kvm.kvmPmu);
    const msrs: number[] = [];
    for (const e of arr) msrs.push(e.msr, e.host, e.guest);
    w.kvm.msrs.assign(msrs);
    w.kvm.msrIdx = 0;
    env.obs.call("perf_guest_get_msrs", () =>
      arr.map((e) => `${msrName(e.msr)} host 0x${e.host.toString(16)} guest 0x${e.guest.toString(16)}`).join("; "),
    );
  }

  /**
   * atomic_switch_perf_msrs, the loop's decision for one entry (v5.11): `host == guest` ->
   * clear_atomic_switch_msr, else add_atomic_switch_msr. Returns true to add.
   */
  wantsSwitch(_w: KvmWorld, _env: KvmEnv, e: SwitchEntry): boolean {
    return e.host !== e.guest;
  }

  /**
   * add_atomic_switch_msr, the immediate write for PEBS_ENABLE (v5.11): "PEBS needs a quiescent
   * period after being disabled (to write a record). Disabling PEBS through VMX MSR swapping
   * doesn't provide that period", so `wrmsrl(MSR_IA32_PEBS_ENABLE, 0)` before the list update.
   */
  addAtomicSwitchMsrQuiesce(w: KvmWorld, env: KvmEnv, msr: number): void {
    if (msr === MSR_IA32_PEBS_ENABLE) wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, 0, env.obs);
  }

  /**
   * add_atomic_switch_msr (v5.11), after the PEBS_ENABLE quiesce: GLOBAL_CTRL goes to the
   * dedicated GUEST/HOST_IA32_PERF_GLOBAL_CTRL fields with both load controls set when
   * cpu_has_load_perf_global_ctrl(); otherwise find the MSR's slot in both lists; if it is new
   * and either list is full, printk_once "Not enough msr switch entries. Can't add msr %x" and
   * return with the MSR unswitched; else the guest value goes to the VM-entry list, the host value
   * to the VM-exit list (an existing slot is updated in place).
   */
  addAtomicSwitchMsr(w: KvmWorld, env: KvmEnv, msr: number, guest: number, host: number): void {
    const hw = w.hw;
    if (msr === MSR_CORE_PERF_GLOBAL_CTRL && env.kvm.loadPerfGlobalCtrl) {
      hw.guestGlobalCtrlField = guest;
      hw.hostGlobalCtrlField = host;
      hw.globalCtrlLoadControls |= ENTRY_LOAD_GLOBAL_CTRL | EXIT_LOAD_GLOBAL_CTRL;
      env.obs.call(
        "add_atomic_switch_msr_special",
        () => `GUEST/HOST_IA32_PERF_GLOBAL_CTRL = 0x${guest.toString(16)} / 0x${host.toString(16)}`,
      );
      return;
    }
    const cap = env.kvm.listCapacity;
    const i = listFind(hw.entryList, msr);
    const j = listFind(hw.exitList, msr);
    if ((i < 0 && hw.entryList.length >= cap) || (j < 0 && hw.exitList.length >= cap)) {
      this.listFull(w, env, msr);
      return;
    }
    listPut(hw.entryList, msr, guest, cap);
    listPut(hw.exitList, msr, host, cap);
    env.obs.call(
      "add_atomic_switch_msr",
      () => `${msrName(msr)}: entry list 0x${guest.toString(16)}, exit list 0x${host.toString(16)}`,
    );
  }

  /**
   * An MSR on one list only (v5.11's add_atomic_switch_msr has `entry_only`; a patch may want
   * the exit list only): the value goes to that list's slot, appended if new; a full list is
   * handled as add_atomic_switch_msr handles it.
   */
  addAtomicSwitchMsrOnList(w: KvmWorld, env: KvmEnv, list: "entry" | "exit", msr: number, value: number): void {
    const l = list === "entry" ? w.hw.entryList : w.hw.exitList;
    if (!listPut(l, msr, value, env.kvm.listCapacity)) {
      this.listFull(w, env, msr);
      return;
    }
    env.obs.call("add_atomic_switch_msr", () => `${msrName(msr)}: ${list} list 0x${value.toString(16)}`);
  }

  /**
   * A full autoload list, as each version handles it. v5.11 and v6.16 (add_atomic_switch_msr):
   * printk_once "Not enough msr switch entries. Can't add msr %x" and return, the MSR
   * unswitched. 7.1.5 (vmx_add_auto_msr, vmx.c l.1063-1071; the model's v7.3): KVM_BUG_ON, which
   * WARNs once and calls kvm_vm_bugged (KVM_REQ_VM_DEAD to every vCPU), then returns: this entry
   * goes ahead with the MSR unswitched and the next vcpu_enter_guest returns -EIO.
   */
  listFull(w: KvmWorld, env: KvmEnv, msr: number): void {
    w.kvm.unswitched = 1;
    if (kernelAtLeast(env.perf.kernel, LIST_FULL_KILLS_VM_FROM)) {
      if (!w.kvm.vmDead)
        env.obs.printk(
          `WARNING: KVM_BUG_ON(m->nr == MAX_NR_LOADSTORE_MSRS) in vmx_add_auto_msr (msr ${msr.toString(16)}): VM killed`,
        );
      w.kvm.vmDead = 1;
      return;
    }
    if (!w.kvm.switchFullPrinted) {
      w.kvm.switchFullPrinted = 1;
      env.obs.printk(`Not enough msr switch entries. Can't add msr ${msr.toString(16)}`);
    }
  }

  /** A vCPU is loaded on this CPU (between vcpu_load and vcpu_put): what perf may ask KVM. */
  vcpuLoaded(w: KvmWorld): boolean {
    return w.kvm.loaded === 1;
  }

  /**
   * Replace the host value of an MSR in the loaded vCPU's VM-exit MSR-load list, if the MSR is
   * there (a service KVM could offer perf, e.g. from the PMI handler). Returns whether it was.
   */
  setExitListValue(w: KvmWorld, env: KvmEnv, msr: number, value: number): boolean {
    const i = listFind(w.hw.exitList, msr);
    if (!this.vcpuLoaded(w) || i < 0) return false;
    w.hw.exitList.set(i, packEntry(msr, value));
    env.obs.call("kvm_update_exit_msr", () => `VM-exit list ${msrName(msr)} = 0x${value.toString(16)}`);
    return true;
  }

  /**
   * vmx_refresh_guest_perf_global_control (7.1.5 vmx.c l.7357-7378), called by vmx_vcpu_run after
   * a successful VM-exit (l.7662; skipped on vmx->fail, l.7652, and on a failed VM-entry, l.7657)
   * for a mediated vCPU whose GLOBAL_CTRL writes are not intercepted: with
   * VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL, `pmu->global_ctrl = vmcs_read64(GUEST_IA32_PERF_GLOBAL_CTRL)`;
   * without, from the MSR-store list's slot, and `vmcs_write64(GUEST_IA32_PERF_GLOBAL_CTRL, ...)`.
   */
  vmxRefreshGuestPerfGlobalControl(w: KvmWorld, env: KvmEnv): void {
    if (env.kvm.savePerfGlobalCtrl) w.kvm.pmuGlobalCtrl = w.hw.guestGlobalCtrlField;
    else {
      w.kvm.pmuGlobalCtrl = w.hw.autostoreGlobalCtrlValue;
      w.hw.guestGlobalCtrlField = w.kvm.pmuGlobalCtrl;
    }
    env.obs.call(
      "vmx_refresh_guest_perf_global_control",
      () => `pmu->global_ctrl = 0x${w.kvm.pmuGlobalCtrl.toString(16)}`,
    );
  }

  /**
   * clear_atomic_switch_msr (v5.11): GLOBAL_CTRL with the dedicated fields only clears the two
   * load controls; otherwise the MSR leaves both lists, the last entry taking its slot.
   */
  clearAtomicSwitchMsr(w: KvmWorld, env: KvmEnv, msr: number): void {
    const hw = w.hw;
    if (msr === MSR_CORE_PERF_GLOBAL_CTRL && env.kvm.loadPerfGlobalCtrl) {
      hw.globalCtrlLoadControls &= ~(ENTRY_LOAD_GLOBAL_CTRL | EXIT_LOAD_GLOBAL_CTRL);
      return;
    }
    const fromEntry = listRemove(hw.entryList, msr);
    const fromExit = listRemove(hw.exitList, msr);
    const removed = fromEntry || fromExit;
    env.obs.call(
      "clear_atomic_switch_msr",
      () => `${msrName(msr)}${removed ? " removed from both lists" : ": not on the lists"}`,
    );
  }
}

const VMX_C = "arch/x86/kvm/vmx/vmx.c";

/**
 * atomic_switch_perf_msrs (vmx.c, v5.11; v6.16 the same but for perf_guest_get_msrs' argument)
 * as steps of the run loop: the snapshot, then per entry of perf's array the decision and either
 * clear_atomic_switch_msr or add_atomic_switch_msr, whose PEBS_ENABLE case first writes 0 by
 * WRMSR. An NMI can land between any two of them. For a mediated vCPU (7.1.5) the function
 * returns at once; the other steps stay in the sequence (policies patch them by id) but are not reached.
 */
export function atomicSwitchPerfMsrsSteps(kernel: KernelVersion, mediated = false): Step<KvmWorld, KvmEnv>[] {
  const n = runLoopInsns(kernel);
  const label = (w: KvmWorld) => {
    const e = switchEntryAt(w, w.kvm.msrIdx);
    return e ? msrName(e.msr) : "end";
  };
  // The loop's compare, and clear_atomic_switch_msr when the entry is cleared here.
  const perEntry = (w: KvmWorld, env: KvmEnv) => {
    const e = switchEntryAt(w, w.kvm.msrIdx);
    if (!e || env.kk.vmx.wantsSwitch(w, env, e)) return n.loopCompare;
    return n.loopCompare + (e.msr === MSR_CORE_PERF_GLOBAL_CTRL ? n.clearGlobalCtrl : n.clearListMsr);
  };
  const store = (w: KvmWorld, env: KvmEnv) => {
    const e = switchEntryAt(w, w.kvm.msrIdx);
    return e?.msr === MSR_CORE_PERF_GLOBAL_CTRL && env.kvm.loadPerfGlobalCtrl ? n.addGlobalCtrl : n.addListMsr;
  };
  return [
    mediated
      ? // 7.1.5 l.7337-7338: `if (kvm_vcpu_has_mediated_pmu(&vmx->vcpu)) return;` (a source estimate of 6 instructions).
        step<KvmWorld, KvmEnv>(STEP.getMsrs, "atomic_switch_perf_msrs", VMX_C, kernel, 6, () => STEP.afterSwitch)
      : step<KvmWorld, KvmEnv>(STEP.getMsrs, "atomic_switch_perf_msrs", VMX_C, kernel, n.getMsrs, (w, env) => {
          env.kk.vmx.perfGuestGetMsrs(w, env);
          return undefined;
        }),
    step<KvmWorld, KvmEnv>(
      STEP.forEachMsr,
      "atomic_switch_perf_msrs",
      VMX_C,
      kernel,
      perEntry,
      (w, env) => {
        const e = switchEntryAt(w, w.kvm.msrIdx);
        if (!e) return STEP.afterSwitch;
        if (env.kk.vmx.wantsSwitch(w, env, e)) return e.msr === MSR_IA32_PEBS_ENABLE ? STEP.quiesce : STEP.store;
        env.kk.vmx.clearAtomicSwitchMsr(w, env, e.msr);
        w.kvm.msrIdx++;
        return STEP.forEachMsr;
      },
      label,
    ),
    step<KvmWorld, KvmEnv>(STEP.quiesce, "add_atomic_switch_msr", VMX_C, kernel, n.pebsQuiesce, (w, env) => {
      const e = switchEntryAt(w, w.kvm.msrIdx);
      if (e) env.kk.vmx.addAtomicSwitchMsrQuiesce(w, env, e.msr);
      return undefined;
    }),
    step<KvmWorld, KvmEnv>(
      STEP.store,
      "add_atomic_switch_msr",
      VMX_C,
      kernel,
      store,
      (w, env) => {
        const e = switchEntryAt(w, w.kvm.msrIdx);
        if (e) env.kk.vmx.addAtomicSwitchMsr(w, env, e.msr, e.guest, e.host);
        w.kvm.msrIdx++;
        return STEP.forEachMsr;
      },
      label,
    ),
  ];
}
