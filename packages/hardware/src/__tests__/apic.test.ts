import { describe, expect, it } from "vitest";
import {
  ackLvtpc,
  canDeliverPmi,
  canTakeNmi,
  deliverPmi,
  iretFromNmi,
  PMI_SRC_OVERFLOW,
  PMI_SRC_PEBS,
  raisePmi,
  takeNmi,
  writeLvtpc,
} from "../apic.js";
import { initialHwState } from "../state.js";
import { recorder } from "./helpers.js";

describe("LVTPC and NMI delivery", () => {
  it("a raised PMI is delivered later, as an NMI, and masks LVTPC", () => {
    const s = initialHwState();
    expect(canDeliverPmi(s)).toBe(false);
    raisePmi(s, recorder(), PMI_SRC_PEBS, "test");
    expect(canDeliverPmi(s)).toBe(true);
    deliverPmi(s, recorder());
    expect([s.pmiPending, s.lvtpcMasked, s.nmiLatched]).toEqual([0, 1, 1]);
  });

  it("no delivery while LVTPC is masked; the handler's ack lets the next one through", () => {
    const s = initialHwState();
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "a");
    raisePmi(s, recorder(), PMI_SRC_PEBS, "b");
    deliverPmi(s, recorder());
    expect(s.pmiPending).toBe(PMI_SRC_PEBS);
    takeNmi(s);
    expect(canDeliverPmi(s)).toBe(false);
    ackLvtpc(s, recorder());
    expect(canDeliverPmi(s)).toBe(true);
  });

  it("NMIs are not taken while blocked; at most one is latched; IRET unblocks", () => {
    const s = initialHwState();
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "a");
    deliverPmi(s, recorder());
    takeNmi(s);
    ackLvtpc(s, recorder());
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "b");
    deliverPmi(s, recorder());
    expect(canTakeNmi(s)).toBe(false);
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "c");
    expect(canDeliverPmi(s)).toBe(false);
    iretFromNmi(s);
    expect(canTakeNmi(s)).toBe(true);
  });

  it("the handler's ack writes the whole entry: unmasked and NMI delivery, even over the mediated guest's vector", () => {
    const s = initialHwState();
    writeLvtpc(s, true, false, recorder());
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "guest");
    deliverPmi(s, recorder());
    expect([s.lvtpcVector, s.lvtpcMasked, s.nmiLatched]).toEqual([1, 1, 0]);
    const r = recorder();
    ackLvtpc(s, r);
    expect([s.lvtpcVector, s.lvtpcMasked]).toEqual([0, 0]);
    expect(r.events).toEqual(["LVTPC delivery mode: fixed vector 0xf5 -> NMI (the handler's apic_write)"]);
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "next");
    deliverPmi(s, recorder());
    expect(s.nmiLatched).toBe(1);
  });

  it("merges a source that fires again before delivery; keeps two sources apart", () => {
    const s = initialHwState();
    for (let i = 0; i < 5; i++) raisePmi(s, recorder(), PMI_SRC_PEBS, "x");
    expect(s.pmiPending).toBe(PMI_SRC_PEBS);
    raisePmi(s, recorder(), PMI_SRC_OVERFLOW, "y");
    deliverPmi(s, recorder());
    expect(s.pmiPending).toBe(PMI_SRC_PEBS);
  });
});
