import "reflect-metadata";
import {
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_PEBS_DATA_CFG,
  pebsRecordAppend,
  STATUS_BUFFER_OVF,
} from "@switchlab/hardware";
import { describe, expect, it } from "vitest";
import { MAX_INTERRUPTS } from "../perf-event.js";
import { env, GUEST, PEBS, SAMPLING, world } from "./helpers.js";

describe("handle_pmi_common (v5.11)", () => {
  it("BUFFER_OVF: drains, and rewrites PEBS_ENABLE when a throttle in the drain changed cpuc->pebs_enabled", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.perf.enabled = 0;
    w.perf.evInterrupts[PEBS] = 1;
    w.hw.pebsRecords = pebsRecordAppend(0, 0);
    const handled = e.k.intel.handlePmiCommon(w, e, STATUS_BUFFER_OVF);
    expect(handled).toBe(1);
    expect(w.perf.evInterrupts[PEBS]).toBe(MAX_INTERRUPTS);
    expect([w.perf.pebsEnabled, w.hw.pebsEnable]).toEqual([0, 0]);
    expect(e.obs.lines.join("\n")).toContain("PEBS_ENABLE rewritten");
  });

  it("BUFFER_OVF without a throttle leaves PEBS_ENABLE alone", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.perf.enabled = 0;
    w.hw.pebsRecords = pebsRecordAppend(0, 0);
    const writes = e.obs.writes.length;
    e.k.intel.handlePmiCommon(w, e, STATUS_BUFFER_OVF);
    expect(e.obs.writes.slice(writes).some((x) => x.startsWith("wrmsr 0x3f1"))).toBe(false);
  });

  it("drops PEBS counters from the status and counts every other bit, active or not", () => {
    const e = env();
    const w = world(e, [
      { event: PEBS, counter: 0 },
      { event: SAMPLING, counter: 1 },
    ]);
    w.perf.enabled = 0;
    expect(e.k.intel.handlePmiCommon(w, e, 0b1)).toBe(0);
    expect(e.k.intel.handlePmiCommon(w, e, 0b110)).toBe(2);
    expect(w.perf.evInterrupts[SAMPLING]).toBe(1);
  });

  it("a stale PEBS record plus an INT overflow on the same counter is handled as two", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 0 }]);
    w.perf.enabled = 0;
    w.hw.pebsRecords = pebsRecordAppend(0, 0);
    expect(e.k.intel.handlePmiCommon(w, e, STATUS_BUFFER_OVF | 1)).toBe(2);
  });
});

describe("intel_pmu_handle_irq (v5.11)", () => {
  it("acks the status, restores cpuc->enabled and GLOBAL_CTRL but never PEBS_ENABLE, and unmasks LVTPC last", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 1 }]);
    w.hw.pebsEnable = 1; // stale: the handler must not touch it
    w.hw.globalStatus = 0b10;
    w.hw.lvtpcMasked = 1;
    const handled = e.k.intel.intelPmuHandleIrq(w, e);
    expect(handled).toBe(1);
    expect([w.hw.globalStatus, w.perf.enabled, w.hw.globalCtrl, w.hw.pebsEnable, w.hw.lvtpcMasked]).toEqual([
      0, 1, 0x70f, 1, 0,
    ]);
  });

  it("keeps GLOBAL_CTRL at 0 when the PMI lands with the PMU disabled", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 1 }]);
    e.k.x86.x86PmuDisable(w, e);
    w.hw.globalStatus = 0b10;
    e.k.intel.intelPmuHandleIrq(w, e);
    expect([w.perf.enabled, w.hw.globalCtrl]).toEqual([0, 0]);
  });

  it("returns 0 for an empty status", () => {
    const e = env();
    const w = world(e);
    expect(e.k.intel.intelPmuHandleIrq(w, e)).toBe(0);
  });
});

describe("intel_guest_get_msrs", () => {
  it("v5.11 without isolation: GLOBAL_CTRL and a PEBS_ENABLE snapshot with guest 0", () => {
    const e = env();
    const w = world(e, [
      { event: PEBS, counter: 0 },
      { event: GUEST, counter: 1 },
    ]);
    expect(e.k.intel.perfGuestGetMsrs(w, e, null)).toEqual([
      { msr: MSR_CORE_PERF_GLOBAL_CTRL, host: 0x70f & ~0b10, guest: 0x70f & ~0b1 },
      { msr: MSR_IA32_PEBS_ENABLE, host: 1, guest: 0 },
    ]);
  });

  it("v5.11 with isolation: GLOBAL_CTRL only", () => {
    const e = env({ pmu: { pebsNoIsolation: false } });
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    expect(e.k.intel.perfGuestGetMsrs(w, e, null).map((x) => x.msr)).toEqual([MSR_CORE_PERF_GLOBAL_CTRL]);
  });

  it("v6.16 with isolation and EPT-friendly PEBS: DS_AREA, PEBS_DATA_CFG and PEBS_ENABLE; guest PEBS joins GLOBAL_CTRL", () => {
    const e = env({
      kernel: "v6.16",
      pmu: { pebsNoIsolation: false, pebsEpt: true, pebsBaseline: true, pebsAll: true },
    });
    const w = world(e);
    const guestPebs = { pebsEnable: 0b100, dsArea: 2, pebsDataCfg: 0, hostCrossMappedMask: 0 };
    w.perf.pebsEnabled = 0b100; // the guest's PEBS counter, backed by an exclude_host precise event
    w.perf.guestMask = 0b100;
    const arr = e.k.intel.perfGuestGetMsrs(w, e, guestPebs);
    expect(arr.map((x) => x.msr)).toEqual([
      MSR_CORE_PERF_GLOBAL_CTRL,
      MSR_IA32_DS_AREA,
      MSR_PEBS_DATA_CFG,
      MSR_IA32_PEBS_ENABLE,
    ]);
    expect(arr[3]).toEqual({ msr: MSR_IA32_PEBS_ENABLE, host: 0, guest: 0b100 });
    expect(arr[0]!.guest & 0b100).toBe(0b100);
  });

  it("v6.16: guest PEBS is zeroed while the host uses PEBS", () => {
    const e = env({ kernel: "v6.16", pmu: { pebsNoIsolation: false, pebsEpt: true } });
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    const arr = e.k.intel.perfGuestGetMsrs(w, e, { pebsEnable: 1, dsArea: 2, pebsDataCfg: 0, hostCrossMappedMask: 0 });
    expect(arr.at(-1)).toEqual({ msr: MSR_IA32_PEBS_ENABLE, host: 1, guest: 0 });
  });
});
