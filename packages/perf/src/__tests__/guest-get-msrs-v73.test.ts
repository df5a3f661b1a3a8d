import "reflect-metadata";
import {
  DS_HOST,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_PEBS_DATA_CFG,
} from "@switchlab/hardware";
import { describe, expect, it } from "vitest";
import type { X86Pmu } from "../env.js";
import type { KvmPmuPebs } from "../intel/core.js";
import { env, world } from "./helpers.js";

// intel_guest_get_msrs at 22ff4b9b (kernelorg-mirror/linux_kernel_git_peterz_queue,
// arch/x86/events/intel/core.c), one `it` per branch; `+N` is the line's offset from the
// function's signature line. Each world is built by hand: cpuc->pebs_enabled and the
// intel_ctrl_{guest,host}_mask are set directly.

const ISOLATED_EPT: Partial<X86Pmu> = { pebsNoIsolation: false, pebsEpt: true, pebsBaseline: true, pebsAll: true };
const GUEST_DS = 0x40;
const GUEST_CFG = 0x3;

function kvmPmu(pebsEnable: number, hostCrossMappedMask = 0): KvmPmuPebs {
  return { pebsEnable, dsArea: GUEST_DS, pebsDataCfg: GUEST_CFG, hostCrossMappedMask };
}

function v73(
  pmu: Partial<X86Pmu>,
  perf: { pebsEnabled?: number; guestMask?: number; hostMask?: number; cfg?: number },
) {
  const e = env({ kernel: "v7.3", pmu });
  const w = world(e);
  w.perf.pebsEnabled = perf.pebsEnabled ?? 0;
  w.perf.guestMask = perf.guestMask ?? 0;
  w.perf.hostMask = perf.hostMask ?? 0;
  w.perf.activePebsDataCfg = perf.cfg ?? 0;
  return { e, w };
}

describe("intel_guest_get_msrs (v7.3, queue 22ff4b9b), branch by branch", () => {
  it("+19..+26, !x86_pmu.ds_pebs: GLOBAL_CTRL only, host & ~guest_mask, guest & ~host_mask & ~pebs_mask (model already matched)", () => {
    const { e, w } = v73({ pebs: false }, { guestMask: 0b10, hostMask: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b10, guest: 0x70f & ~0b1 },
    ]);
  });

  it("+36..+42, pebs_no_isolation: PEBS_ENABLE {host: cpuc->pebs_enabled, guest: 0}, then return (model already matched)", () => {
    const { e, w } = v73({ pebsNoIsolation: true, pebsEpt: true }, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f & ~0b1 },
      { msr: MSR_IA32_PEBS_ENABLE, host: 0b1, guest: 0 },
    ]);
  });

  it("+50, isolation without pebs_ept: GLOBAL_CTRL only, no PEBS_ENABLE (model already matched)", () => {
    const { e, w } = v73({ pebsNoIsolation: false, pebsEpt: false }, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100)).map((x) => x.msr)).toEqual([MSR_CORE_PERF_GLOBAL_CTRL]);
  });

  it("+84..+96, guest PEBS unused: DS_AREA and PEBS_DATA_CFG still emitted, guest == host (model omitted them)", () => {
    const { e, w } = v73(ISOLATED_EPT, { cfg: 0x1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f },
      { msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST },
      { msr: MSR_PEBS_DATA_CFG, host: 0x1, guest: 0x1 },
    ]);
  });

  it("+58..+106, guest PEBS active: the vCPU's DS_AREA and PEBS_DATA_CFG, its PEBS counters OR'd into GLOBAL_CTRL, no PEBS_ENABLE (model already matched)", () => {
    const { e, w } = v73(ISOLATED_EPT, { pebsEnabled: 0b100, guestMask: 0b100, cfg: 0x1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b100, guest: 0x70f },
      { msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: GUEST_DS },
      { msr: MSR_PEBS_DATA_CFG, host: 0x1, guest: GUEST_CFG },
    ]);
  });

  it("+58, `& intel_ctrl`: a PEBS counter outside intel_ctrl stays out, and DS_AREA keeps the host's (model kept GLOBAL_CTRL out but switched DS_AREA)", () => {
    const bit4 = 0b1_0000; // GP counter 4: not in intel_ctrl 0x70f
    const { e, w } = v73(ISOLATED_EPT, { pebsEnabled: bit4, guestMask: bit4 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(bit4));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f });
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST });
  });

  it("+60, `& intel_ctrl_guest_mask`, and +76/+77: a PEBS counter the host counts zeroes guest_pebs_mask (model already matched for GLOBAL_CTRL; it switched DS_AREA)", () => {
    const { e, w } = v73(ISOLATED_EPT, { pebsEnabled: 0b101, guestMask: 0b100 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b100, guest: 0x70f & ~0b101 });
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST });
    expect(arr.some((x) => x.msr === MSR_IA32_PEBS_ENABLE)).toBe(false);
  });

  it("+59, `& ~intel_ctrl_host_mask`: a counter excluded in the guest is not a guest PEBS counter (model already matched)", () => {
    const { e, w } = v73(ISOLATED_EPT, { pebsEnabled: 0b100, guestMask: 0b100, hostMask: 0b100 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100));
    expect(arr[0]!.guest & 0b100).toBe(0);
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: DS_HOST });
  });

  it("+68, host_cross_mapped_mask: only guest_pebs_mask loses the cross-mapped counter, GLOBAL_CTRL is not masked with it (model masked GLOBAL_CTRL too)", () => {
    const { e, w } = v73(ISOLATED_EPT, { pebsEnabled: 0b110, guestMask: 0b110 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b110, 0b100));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b110, guest: (0x70f & ~0b110) | 0b10 });
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: GUEST_DS });
    // A cross-mapped counter that is not a PEBS counter of the host stays in the guest's GLOBAL_CTRL.
    const other = v73(ISOLATED_EPT, { pebsEnabled: 0b100, guestMask: 0b100 });
    const arr2 = other.e.k.intel.perfGuestGetMsrs(other.w, other.e, kvmPmu(0b100, 0b1));
    expect(arr2[0]!.guest & 0b1).toBe(0b1);
  });

  it("+90, no baseline PEBS: no PEBS_DATA_CFG entry (model already matched)", () => {
    const { e, w } = v73({ ...ISOLATED_EPT, pebsBaseline: false }, { pebsEnabled: 0b100, guestMask: 0b100 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100)).map((x) => x.msr)).toEqual([
      MSR_CORE_PERF_GLOBAL_CTRL,
      MSR_IA32_DS_AREA,
    ]);
  });

  it("22ff4b9b, @data mandatory: no `!kvm_pmu` return, a missing kvm_pmu is a NULL dereference (model returned early)", () => {
    const { e, w } = v73(ISOLATED_EPT, {});
    expect(() => e.k.intel.perfGuestGetMsrs(w, e, null)).toThrow(/mandatory/);
  });
});
