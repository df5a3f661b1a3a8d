import { describe, expect, it } from "vitest";
import { PMI_SRC_PEBS } from "../apic.js";
import {
  DS_GUEST,
  DS_HOST,
  DS_OFFSET,
  pebsRecordCount,
  pebsRecordCounters,
  pebsThresholdAddress,
} from "../debug-store.js";
import { STATUS_BUFFER_OVF } from "../msr-index.js";
import { MAX_GUEST_PEBS_RECORDS, pebsAssist } from "../pebs.js";
import { initialHwState } from "../state.js";
import { CFG, recorder } from "./helpers.js";

describe("PEBS assist", () => {
  it("in root: writes a record, advances pebs_index, and raises a PMI at the threshold", () => {
    const s = initialHwState();
    s.dsArea = DS_HOST;
    const cfg = { ...CFG, pebsThresholdRecords: 2, pebsMaxRecords: 3 };
    pebsAssist(s, 1, cfg, recorder());
    expect([pebsRecordCount(s.pebsRecords), s.globalStatus, s.pmiPending]).toEqual([1, 0, 0]);
    pebsAssist(s, 3, cfg, recorder());
    expect(pebsRecordCounters(s.pebsRecords)).toEqual([1, 3]);
    expect([s.globalStatus, s.pmiPending]).toEqual([STATUS_BUFFER_OVF, PMI_SRC_PEBS]);
  });

  it("in root: never writes past pebs_absolute_maximum", () => {
    const s = initialHwState();
    s.dsArea = DS_HOST;
    for (let i = 0; i < 5; i++) pebsAssist(s, 0, CFG, recorder());
    expect(pebsRecordCount(s.pebsRecords)).toBe(CFG.pebsMaxRecords);
  });

  it("in non-root with the host DS_AREA: guest #PF at DS_AREA + 0x38, no record, no PMI", () => {
    const s = initialHwState();
    s.mode = 1;
    s.dsArea = DS_HOST;
    const obs = recorder();
    pebsAssist(s, 0, CFG, obs);
    expect([s.guestPf, s.guestPfDs, s.pebsRecords, s.pmiPending, s.globalStatus]).toEqual([1, DS_HOST, 0, 0, 0]);
    expect(pebsThresholdAddress(s.guestPfDs)).toBe(0xfffffe000000c000n + 0x38n);
    expect(DS_OFFSET.pebs_interrupt_threshold).toBe(0x38);
    expect(obs.events.join("\n")).toContain("#PF in guest reading 0xfffffe000000c000 + 0x38");
  });

  it("in non-root with a guest debug store: the record goes to the guest, no fault", () => {
    const s = initialHwState();
    s.mode = 1;
    s.dsArea = DS_GUEST;
    for (let i = 0; i < 5; i++) pebsAssist(s, 0, CFG, recorder());
    expect([s.guestPf, s.guestPebsRecords, s.pebsRecords]).toEqual([0, MAX_GUEST_PEBS_RECORDS, 0]);
  });
});
