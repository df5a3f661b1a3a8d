import "reflect-metadata";
import { defineState } from "@switchlab/explorer";
import {
  DS_HOST,
  HW_SPEC,
  type HwConfig,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_PEBS_DATA_CFG,
  resetHw,
} from "@switchlab/hardware";
import {
  type KernelVersion,
  type KvmPmuPebs,
  NULL_KERNEL_OBSERVER,
  PERF_SPEC,
  type PerfEnv,
  type PerfWorld,
  registerPerf,
  resetPerf,
  resolvePerfKernel,
  type X86Pmu,
} from "@switchlab/perf";
import { container } from "tsyringe";
import { describe, expect, it } from "vitest";
import policy, { intelGuestGetMsrsQueue, kvmGuestPebs, QUEUE_COMMIT } from "../index.js";

// intel_guest_get_msrs at peterz/queue bd160d6e (arch/x86/events/intel/core.c), one `it` per
// branch; `+N` is the line's offset from the signature line. intel_ctrl is 0x70f (4 GP, 3 fixed).
// guestMask is intel_ctrl_exclude_host_mask, hostMask intel_ctrl_exclude_guest_mask (1a861b9e).

const HW: HwConfig = { numGp: 4, numFixed: 3, pebsThresholdRecords: 1, pebsMaxRecords: 2, pebsIsolation: false };
const ISOLATED_EPT: X86Pmu = {
  intelCtrl: 0x70f,
  pebs: true,
  pebsNoIsolation: false,
  pebsBaseline: true,
  pebsAll: true,
  pebsEpt: true,
  lateAck: true,
  pebsCounterMask: 0xff,
};
const GUEST_DS = 0x40;
const GUEST_CFG = 0x3;
const STATE = defineState({ hw: HW_SPEC, perf: PERF_SPEC });

function setup(
  pmu: Partial<X86Pmu>,
  perf: { pebsEnabled?: number; guestMask?: number; hostMask?: number; cfg?: number },
  kernel: KernelVersion = "v7.3",
) {
  const child = container.createChildContainer();
  registerPerf(child);
  policy.register?.(child);
  const e: PerfEnv = {
    hw: HW,
    pmu: { ...ISOLATED_EPT, ...pmu },
    perf: { kernel, maxSamplesPerTick: 100, events: [], cpu: 0, nmiReason: 0 },
    obs: NULL_KERNEL_OBSERVER,
    k: resolvePerfKernel(child),
  };
  const w: PerfWorld = STATE.create();
  resetHw(w.hw);
  resetPerf(w.perf, 0);
  w.perf.pebsEnabled = perf.pebsEnabled ?? 0;
  w.perf.guestMask = perf.guestMask ?? 0;
  w.perf.hostMask = perf.hostMask ?? 0;
  w.perf.activePebsDataCfg = perf.cfg ?? 0;
  return { e, w };
}

function kvmPmu(pebsEnable: number, hostCrossMappedMask = 0): KvmPmuPebs {
  return { pebsEnable, dsArea: GUEST_DS, pebsDataCfg: GUEST_CFG, hostCrossMappedMask };
}

describe(`intel_guest_get_msrs at queue ${QUEUE_COMMIT.slice(0, 8)}, branch by branch`, () => {
  it("+19..+26, !x86_pmu.ds_pebs: GLOBAL_CTRL only", () => {
    const { e, w } = setup({ pebs: false }, { guestMask: 0b10, hostMask: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b10, guest: 0x70f & ~0b1 },
    ]);
  });

  it("+36..+43, pebs_no_isolation: PEBS_ENABLE {host: cpuc->pebs_enabled, guest: 0}, then return", () => {
    const { e, w } = setup({ pebsNoIsolation: true }, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f & ~0b1 },
      { msr: MSR_IA32_PEBS_ENABLE, host: 0b1, guest: 0 },
    ]);
  });

  it("+50, isolation without pebs_ept: GLOBAL_CTRL only", () => {
    const { e, w } = setup({ pebsEpt: false }, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100)).map((x) => x.msr)).toEqual([MSR_CORE_PERF_GLOBAL_CTRL]);
  });

  it("+76..+89, guest PEBS unused: DS_AREA and PEBS_DATA_CFG with guest == host (KVM clears them)", () => {
    const { e, w } = setup({}, { cfg: 0x1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f },
      { msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST },
      { msr: MSR_PEBS_DATA_CFG, host: 0x1, guest: 0x1 },
    ]);
  });

  it("+58..+98, guest PEBS active: the vCPU's DS_AREA and PEBS_DATA_CFG, its PEBS counters OR'd into GLOBAL_CTRL, no PEBS_ENABLE", () => {
    const { e, w } = setup({}, { pebsEnabled: 0b100, guestMask: 0b100, cfg: 0x1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b100, guest: 0x70f },
      { msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: GUEST_DS },
      { msr: MSR_PEBS_DATA_CFG, host: 0x1, guest: GUEST_CFG },
    ]);
  });

  it("+82, no baseline PEBS: no PEBS_DATA_CFG entry", () => {
    const { e, w } = setup({ pebsBaseline: false }, { pebsEnabled: 0b100, guestMask: 0b100 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100)).map((x) => x.msr)).toEqual([
      MSR_CORE_PERF_GLOBAL_CTRL,
      MSR_IA32_DS_AREA,
    ]);
  });

  it("+59, `& ~intel_ctrl_exclude_guest_mask`: a counter excluded in the guest is not a guest PEBS counter", () => {
    const { e, w } = setup({}, { pebsEnabled: 0b100, guestMask: 0b100, hostMask: 0b100 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100));
    expect(arr[0]!.guest & 0b100).toBe(0);
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST });
  });

  it("+68/+69, the host uses PEBS on a PMC: guest_pebs_mask zeroed, DS_AREA keeps the host's", () => {
    const { e, w } = setup({}, { pebsEnabled: 0b101, guestMask: 0b100 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b100, guest: 0x70f & ~0b101 });
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST });
  });

  it("+6 (bd160d6e), `intel_ctrl & pebs_enabled`: a PEBS_ENABLE bit outside intel_ctrl no longer counts as host PEBS use (v7.3 zeroed the guest's PEBS for it)", () => {
    const bit4 = 0b1_0000; // not a counter of intel_ctrl 0x70f: stands for a non-PMC bit of PEBS_ENABLE
    const { e, w } = setup({}, { pebsEnabled: 0b100 | bit4, guestMask: 0b100 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100));
    expect(arr[0]!.guest & 0b100).toBe(0b100);
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: GUEST_DS });
    // v7.3's original (22ff4b9b: `pebs_mask & ~intel_ctrl_guest_mask` on the unmasked pebs_mask) zeroes it.
    const base = setup({}, { pebsEnabled: 0b100 | bit4, guestMask: 0b100 });
    const orig = base.e.k.intel.intelGuestGetMsrsV73(base.w, base.e, kvmPmu(0b100));
    expect(orig[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST });
  });

  it("+58 (258bc40c): perf reads no cross-mapped mask; KVM's `enable` (not stored; modelled as pebs_enable & ~host_cross_mapped_mask) leaves the counter out", () => {
    expect(kvmGuestPebs(kvmPmu(0b110, 0b100))).toEqual({ enable: 0b10, dsArea: GUEST_DS, dataCfg: GUEST_CFG });
    const { e, w } = setup({}, { pebsEnabled: 0b110, guestMask: 0b110 });
    // Through the queue function directly, with an `enable` that still has the cross-mapped bit:
    // perf itself no longer removes it.
    const arr = intelGuestGetMsrsQueue(w, e, { enable: 0b110, dsArea: GUEST_DS, dataCfg: GUEST_CFG });
    expect(arr[0]!.guest & 0b110).toBe(0b110);
    // Through perf_guest_get_msrs, KVM's side removes it first.
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b110, 0b100))[0]!.guest & 0b110).toBe(0b10);
  });

  it("22ff4b9b's mandatory argument: no `!guest_pebs` return, a missing struct is a NULL dereference", () => {
    const { e, w } = setup({}, {});
    expect(() => e.k.intel.perfGuestGetMsrs(w, e, null)).toThrow(/mandatory/);
  });

  it("before v7.3 the version's own function runs (v6.1.y: the vCPU's DS_AREA even without guest PEBS)", () => {
    const { e, w } = setup({}, {}, "v6.1.y");
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0))[1]).toEqual({
      msr: MSR_IA32_DS_AREA,
      host: DS_HOST,
      guest: GUEST_DS,
    });
  });
});
