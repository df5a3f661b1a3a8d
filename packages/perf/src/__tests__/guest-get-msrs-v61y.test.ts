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

// intel_guest_get_msrs in Debian's linux-source-6.1 6.1.192-3, arch/x86/events/intel/core.c
// l.4119-4216, one `it` per branch; `l.N` is that file's line. Each world is built by hand:
// cpuc->pebs_enabled and intel_ctrl_{guest,host}_mask are set directly. intel_ctrl is 0x70f
// (4 GP, 3 fixed counters).

const ISOLATED_EPT: Partial<X86Pmu> = { pebsNoIsolation: false, pebsEpt: true, pebsBaseline: true, pebsAll: true };
const GUEST_DS = 0x40;
const GUEST_CFG = 0x3;

function kvmPmu(pebsEnable: number, hostCrossMappedMask = 0, dsArea = GUEST_DS): KvmPmuPebs {
  return { pebsEnable, dsArea, pebsDataCfg: GUEST_CFG, hostCrossMappedMask };
}

function v61y(
  pmu: Partial<X86Pmu>,
  perf: { pebsEnabled?: number; guestMask?: number; hostMask?: number; cfg?: number },
) {
  const e = env({ kernel: "v6.1.y", pmu });
  const w = world(e);
  w.perf.pebsEnabled = perf.pebsEnabled ?? 0;
  w.perf.guestMask = perf.guestMask ?? 0;
  w.perf.hostMask = perf.hostMask ?? 0;
  w.perf.activePebsDataCfg = perf.cfg ?? 0;
  return { e, w };
}

describe("intel_guest_get_msrs (v6.1.y, 6.1.192), branch by branch", () => {
  it("l.4138-4145, !x86_pmu.pebs: GLOBAL_CTRL only, host intel_ctrl & ~guest_mask, guest intel_ctrl & ~host_mask & ~pebs_mask", () => {
    const { e, w } = v61y({ pebs: false }, { guestMask: 0b10, hostMask: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b10, guest: 0x70f & ~0b1 },
    ]);
  });

  it("l.4155-4162, pebs_no_isolation: PEBS_ENABLE {host: cpuc->pebs_enabled, guest: 0}, then return (the 2021 race stays open)", () => {
    const { e, w } = v61y({ pebsNoIsolation: true, pebsEpt: true }, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f & ~0b1 },
      { msr: MSR_IA32_PEBS_ENABLE, host: 0b1, guest: 0 },
    ]);
  });

  it("l.4164, !kvm_pmu: GLOBAL_CTRL only (the early return 22ff4b9b later removed is still here)", () => {
    const { e, w } = v61y(ISOLATED_EPT, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, null)).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f & ~0b1 },
    ]);
  });

  it("l.4164, isolation without pebs_ept: GLOBAL_CTRL only, no PEBS_ENABLE", () => {
    const { e, w } = v61y({ pebsNoIsolation: false, pebsEpt: false }, { pebsEnabled: 0b1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100)).map((x) => x.msr)).toEqual([MSR_CORE_PERF_GLOBAL_CTRL]);
  });

  it("l.4167-4179, guest PEBS unused: DS_AREA and PEBS_DATA_CFG still carry the vCPU's values (v7.3 would keep the host's)", () => {
    const { e, w } = v61y(ISOLATED_EPT, { cfg: 0x1 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0, 0, 0));
    expect(arr).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f },
      { msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: 0 },
      { msr: MSR_PEBS_DATA_CFG, host: 0x1, guest: GUEST_CFG },
    ]);
    // The same world at v7.3 (queue 87524d58): guest == host, so KVM clears them instead.
    const at73 = env({ kernel: "v7.3", pmu: ISOLATED_EPT });
    const w73 = world(at73);
    w73.perf.activePebsDataCfg = 0x1;
    expect(at73.k.intel.perfGuestGetMsrs(w73, at73, kvmPmu(0, 0, 0))[1]).toEqual({
      msr: MSR_IA32_DS_AREA,
      host: DS_HOST,
      guest: DS_HOST,
    });
  });

  it("l.4173, no baseline PEBS: DS_AREA but no PEBS_DATA_CFG", () => {
    const { e, w } = v61y({ ...ISOLATED_EPT, pebsBaseline: false }, {});
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0)).map((x) => x.msr)).toEqual([
      MSR_CORE_PERF_GLOBAL_CTRL,
      MSR_IA32_DS_AREA,
    ]);
  });

  it("l.4186-4188 and l.4214, guest PEBS active: its PEBS counters OR'd into GLOBAL_CTRL's guest value, no PEBS_ENABLE entry", () => {
    const { e, w } = v61y(ISOLATED_EPT, { pebsEnabled: 0b100, guestMask: 0b100, cfg: 0x1 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b100, guest: 0x70f },
      { msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: GUEST_DS },
      { msr: MSR_PEBS_DATA_CFG, host: 0x1, guest: GUEST_CFG },
    ]);
  });

  it("l.4186, `& intel_ctrl` (3d512e91): a PEBS counter outside intel_ctrl never enters GLOBAL_CTRL's guest value", () => {
    const bit4 = 0b1_0000; // GP counter 4: not in intel_ctrl 0x70f
    const { e, w } = v61y(ISOLATED_EPT, { pebsEnabled: bit4, guestMask: bit4 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(bit4));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f, guest: 0x70f });
    // v6.16 (without the fix) ORs it in.
    const at616 = env({ kernel: "v6.16", pmu: ISOLATED_EPT });
    const w616 = world(at616);
    w616.perf.pebsEnabled = bit4;
    w616.perf.guestMask = bit4;
    expect(at616.k.intel.perfGuestGetMsrs(w616, at616, kvmPmu(bit4))[0]!.guest & bit4).toBe(bit4);
  });

  it("l.4187, `& ~intel_ctrl_host_mask`: a counter excluded in the guest is not a guest PEBS counter", () => {
    const { e, w } = v61y(ISOLATED_EPT, { pebsEnabled: 0b100, guestMask: 0b100, hostMask: 0b100 });
    expect(e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100))[0]!.guest & 0b100).toBe(0);
  });

  it("l.4196, host_cross_mapped_mask: only guest_pebs_mask loses the cross-mapped counter", () => {
    const { e, w } = v61y(ISOLATED_EPT, { pebsEnabled: 0b110, guestMask: 0b110 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b110, 0b100));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b110, guest: (0x70f & ~0b110) | 0b10 });
    // A cross-mapped counter that is not a host PEBS counter stays in GLOBAL_CTRL's guest value.
    const other = v61y(ISOLATED_EPT, { pebsEnabled: 0b100, guestMask: 0b100 });
    expect(other.e.k.intel.perfGuestGetMsrs(other.w, other.e, kvmPmu(0b100, 0b1))[0]!.guest & 0b1).toBe(0b1);
  });

  it("l.4204/4205, the host uses PEBS: guest_pebs_mask zeroed, the vCPU's DS_AREA still handed over", () => {
    const { e, w } = v61y(ISOLATED_EPT, { pebsEnabled: 0b101, guestMask: 0b100 });
    const arr = e.k.intel.perfGuestGetMsrs(w, e, kvmPmu(0b100));
    expect(arr[0]).toEqual({ msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b100, guest: 0x70f & ~0b101 });
    expect(arr[1]).toEqual({ msr: MSR_IA32_DS_AREA, host: DS_HOST, guest: GUEST_DS });
    expect(arr.some((x) => x.msr === MSR_IA32_PEBS_ENABLE)).toBe(false);
  });
});
