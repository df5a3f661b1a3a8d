import "reflect-metadata";
import { defineState } from "@switchlab/explorer";
import {
  DS_HOST,
  ENTRY_LOAD_GLOBAL_CTRL,
  EXIT_LOAD_GLOBAL_CTRL,
  entryMsr,
  entryValue,
  HW_SPEC,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_OTHER_BASE,
} from "@switchlab/hardware";
import {
  hostPebsEvent,
  type KernelObserver,
  PERF_SPEC,
  registerPerf,
  resetPerf,
  resolvePerfKernel,
} from "@switchlab/perf";
import { container } from "tsyringe";
import { describe, expect, it } from "vitest";
import type { KvmEnv } from "../env.js";
import { KVM_SPEC, type KvmWorld } from "../kvm-state.js";
import { registerKvm, resolveKvmKernel } from "../services.js";

function setup(opts: { loadPerfGlobalCtrl?: boolean; listCapacity?: number } = {}) {
  const c = registerKvm(registerPerf(container.createChildContainer()));
  const printks: string[] = [];
  const writes: string[] = [];
  const obs: KernelObserver = {
    msrWrite: (k, m, b, a) => writes.push(`${k} 0x${m.toString(16)} ${b}->${a}`),
    event: () => {},
    roundTripDone: () => {},
    printk: (t) => printks.push(t),
    call: () => {},
  };
  const env: KvmEnv = {
    hw: { numGp: 4, numFixed: 3, pebsThresholdRecords: 1, pebsMaxRecords: 2, pebsIsolation: false },
    pmu: {
      intelCtrl: 0x70f,
      pebs: true,
      pebsNoIsolation: true,
      pebsBaseline: false,
      pebsAll: false,
      pebsEpt: false,
      lateAck: true,
      pebsCounterMask: 0xff,
    },
    perf: { kernel: "v5.11", maxSamplesPerTick: 2, events: [hostPebsEvent()], cpu: 0, nmiReason: 0 },
    obs,
    k: resolvePerfKernel(c),
    kvm: {
      vcpuHasPmu: true,
      kvmPmu: null,
      loadPerfGlobalCtrl: opts.loadPerfGlobalCtrl ?? true,
      listCapacity: opts.listCapacity ?? 8,
      maxRoundTrips: 3,
      savePerfGlobalCtrl: false,
    },
    kk: resolveKvmKernel(c),
  };
  const w: KvmWorld = KVM_WORLD.create();
  resetPerf(w.perf, 1);
  w.hw.dsArea = DS_HOST;
  return { env, w, printks, writes };
}

/** hardware, perf and KVM on their own. */
const KVM_WORLD = defineState({ hw: HW_SPEC, perf: PERF_SPEC, kvm: KVM_SPEC });

const lists = (w: KvmWorld) => ({
  entry: w.hw.entryList.toArray().map((e) => [entryMsr(e), entryValue(e)]),
  exit: w.hw.exitList.toArray().map((e) => [entryMsr(e), entryValue(e)]),
});

describe("atomic_switch_perf_msrs (vmx.c, v5.11)", () => {
  it("perf_guest_get_msrs snapshots cpuc->pebs_enabled into the loop's array", () => {
    const { env, w } = setup();
    w.perf.pebsEnabled = 1;
    env.kk.vmx.perfGuestGetMsrs(w, env);
    expect(w.kvm.msrs.toArray()).toEqual([MSR_CORE_PERF_GLOBAL_CTRL, 0x70f, 0x70e, MSR_IA32_PEBS_ENABLE, 1, 0]);
    expect(w.kvm.msrIdx).toBe(0);
  });

  it("switches an entry only when host != guest", () => {
    const { env, w } = setup();
    expect(env.kk.vmx.wantsSwitch(w, env, { msr: MSR_IA32_PEBS_ENABLE, host: 1, guest: 0 })).toBe(true);
    expect(env.kk.vmx.wantsSwitch(w, env, { msr: MSR_IA32_PEBS_ENABLE, host: 0, guest: 0 })).toBe(false);
  });
});

describe("add_atomic_switch_msr", () => {
  it("PEBS_ENABLE: writes 0 immediately, then guest value to the entry list and host value to the exit list", () => {
    const { env, w, writes } = setup();
    w.hw.pebsEnable = 1;
    env.kk.vmx.addAtomicSwitchMsrQuiesce(w, env, MSR_IA32_PEBS_ENABLE);
    expect(w.hw.pebsEnable).toBe(0);
    expect(writes).toEqual(["wrmsr 0x3f1 1->0"]);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_IA32_PEBS_ENABLE, 0, 1);
    expect(lists(w)).toEqual({ entry: [[MSR_IA32_PEBS_ENABLE, 0]], exit: [[MSR_IA32_PEBS_ENABLE, 1]] });
  });

  it("the quiesce write is for PEBS_ENABLE only", () => {
    const { env, w, writes } = setup();
    env.kk.vmx.addAtomicSwitchMsrQuiesce(w, env, MSR_IA32_DS_AREA);
    expect(writes).toEqual([]);
  });

  it("updates an existing slot in place", () => {
    const { env, w } = setup();
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_OTHER_BASE, 1, 0);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_IA32_PEBS_ENABLE, 0, 1);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_IA32_PEBS_ENABLE, 0, 3);
    expect(lists(w).exit).toEqual([
      [MSR_OTHER_BASE, 0],
      [MSR_IA32_PEBS_ENABLE, 3],
    ]);
  });

  it("GLOBAL_CTRL uses the dedicated VMCS fields and sets both load controls", () => {
    const { env, w } = setup();
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_CORE_PERF_GLOBAL_CTRL, 0xe, 0xf);
    expect([w.hw.guestGlobalCtrlField, w.hw.hostGlobalCtrlField, w.hw.globalCtrlLoadControls]).toEqual([
      0xe,
      0xf,
      ENTRY_LOAD_GLOBAL_CTRL | EXIT_LOAD_GLOBAL_CTRL,
    ]);
    expect(w.hw.entryList.length).toBe(0);
  });

  it("GLOBAL_CTRL goes on the lists when the CPU cannot load it from the VMCS", () => {
    const { env, w } = setup({ loadPerfGlobalCtrl: false });
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_CORE_PERF_GLOBAL_CTRL, 0xe, 0xf);
    expect(lists(w)).toEqual({ entry: [[MSR_CORE_PERF_GLOBAL_CTRL, 0xe]], exit: [[MSR_CORE_PERF_GLOBAL_CTRL, 0xf]] });
  });

  it("a full list: printk_once 'Not enough msr switch entries', the MSR stays unswitched", () => {
    const { env, w, printks } = setup({ listCapacity: 1 });
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_OTHER_BASE, 1, 0);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_IA32_PEBS_ENABLE, 0, 1);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_IA32_DS_AREA, 0, 1);
    expect(printks).toEqual(["Not enough msr switch entries. Can't add msr 3f1"]);
    expect(w.kvm.unswitched).toBe(1);
    expect(lists(w).entry).toEqual([[MSR_OTHER_BASE, 1]]);
  });
});

describe("clear_atomic_switch_msr", () => {
  it("removes the MSR from both lists, the last entry taking its slot", () => {
    const { env, w } = setup();
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_IA32_PEBS_ENABLE, 0, 1);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_OTHER_BASE, 1, 0);
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_OTHER_BASE + 1, 1, 0);
    env.kk.vmx.clearAtomicSwitchMsr(w, env, MSR_IA32_PEBS_ENABLE);
    expect(lists(w).entry.map(([m]) => m)).toEqual([MSR_OTHER_BASE + 1, MSR_OTHER_BASE]);
  });

  it("GLOBAL_CTRL with the dedicated fields: only the load controls are cleared", () => {
    const { env, w } = setup();
    env.kk.vmx.addAtomicSwitchMsr(w, env, MSR_CORE_PERF_GLOBAL_CTRL, 0xe, 0xf);
    env.kk.vmx.clearAtomicSwitchMsr(w, env, MSR_CORE_PERF_GLOBAL_CTRL);
    expect([w.hw.globalCtrlLoadControls, w.hw.guestGlobalCtrlField]).toEqual([0, 0xe]);
  });
});
