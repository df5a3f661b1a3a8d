import { describe, expect, it } from "vitest";
import { PMI_SRC_OVERFLOW, PMI_SRC_PEBS } from "../apic.js";
import { DS_HOST, pebsRecordCounters } from "../debug-store.js";
import { STATUS_BUFFER_OVF } from "../msr-index.js";
import { fixedCounting, gpCounting, overflowFixed, overflowGp } from "../pmu.js";
import { initialHwState } from "../state.js";
import { CFG, recorder } from "./helpers.js";

describe("counting", () => {
  it("a GP counter counts only with EVTSEL.EN and its GLOBAL_CTRL bit", () => {
    const s = initialHwState();
    s.evtselEn = 0b0011;
    s.globalCtrl = 0b0110;
    expect(gpCounting(s, CFG)).toBe(0b0010);
  });

  it("counters beyond the profile's count never count", () => {
    const s = initialHwState();
    s.evtselEn = 0xff;
    s.globalCtrl = 0xff;
    expect(gpCounting(s, CFG)).toBe(0b1111);
  });

  it("a fixed counter counts with its FIXED_CTR_CTRL enable and GLOBAL_CTRL bit 32 + j", () => {
    const s = initialHwState();
    s.fixedEn = 0b011;
    s.globalCtrl = 0b010 << 8;
    expect(fixedCounting(s, CFG)).toBe(0b010);
  });
});

describe("overflow", () => {
  it("with EVTSEL.INT only: status bit k and one PMI", () => {
    const s = initialHwState();
    s.evtselInt = 0b10;
    overflowGp(s, 1, CFG, recorder());
    expect(s.globalStatus).toBe(0b10);
    expect(s.pmiPending).toBe(1);
  });

  it("without INT or PEBS: status bit k, no PMI", () => {
    const s = initialHwState();
    overflowGp(s, 0, CFG, recorder());
    expect([s.globalStatus, s.pmiPending]).toEqual([1, 0]);
  });

  it("with PEBS_ENABLE bit k only (root): a PEBS assist, BUFFER_OVF and one PMI, no status bit k", () => {
    const s = initialHwState();
    s.pebsEnable = 0b1;
    s.dsArea = DS_HOST;
    overflowGp(s, 0, CFG, recorder());
    expect(s.globalStatus).toBe(STATUS_BUFFER_OVF);
    expect(s.pmiPending).toBe(PMI_SRC_PEBS);
    expect(pebsRecordCounters(s.pebsRecords)).toEqual([0]);
  });

  it("with both PEBS_ENABLE bit k and INT: both happen, two PMIs", () => {
    const s = initialHwState();
    s.pebsEnable = 0b1;
    s.evtselInt = 0b1;
    s.dsArea = DS_HOST;
    overflowGp(s, 0, CFG, recorder());
    expect(s.globalStatus).toBe(STATUS_BUFFER_OVF | 1);
    expect(s.pmiPending).toBe(PMI_SRC_OVERFLOW | PMI_SRC_PEBS);
  });

  it("a fixed counter overflow sets status bit 32 + j and raises a PMI", () => {
    const s = initialHwState();
    overflowFixed(s, 2, recorder());
    expect(s.globalStatus).toBe(1 << 10);
    expect(s.pmiPending).toBe(1);
  });
});
