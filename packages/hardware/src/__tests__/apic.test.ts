import { describe, expect, it } from "vitest";
import {
  canDeliverPmi,
  canTakeNmi,
  deliverPmi,
  iretFromNmi,
  MAX_PENDING_PMIS,
  raisePmi,
  takeNmi,
  unmaskLvtpc,
} from "../apic.js";
import { initialHwState } from "../state.js";
import { recorder } from "./helpers.js";

describe("LVTPC and NMI delivery", () => {
  it("a raised PMI is delivered later, as an NMI, and masks LVTPC", () => {
    const s = initialHwState();
    expect(canDeliverPmi(s)).toBe(false);
    raisePmi(s, recorder(), "test");
    expect(canDeliverPmi(s)).toBe(true);
    deliverPmi(s, recorder());
    expect([s.pmiPending, s.lvtpcMasked, s.nmiLatched]).toEqual([0, 1, 1]);
  });

  it("no delivery while LVTPC is masked; the handler's ack lets the next one through", () => {
    const s = initialHwState();
    raisePmi(s, recorder(), "a");
    raisePmi(s, recorder(), "b");
    deliverPmi(s, recorder());
    takeNmi(s);
    expect(canDeliverPmi(s)).toBe(false);
    unmaskLvtpc(s);
    expect(canDeliverPmi(s)).toBe(true);
  });

  it("NMIs are not taken while blocked; at most one is latched; IRET unblocks", () => {
    const s = initialHwState();
    raisePmi(s, recorder(), "a");
    deliverPmi(s, recorder());
    takeNmi(s);
    unmaskLvtpc(s);
    raisePmi(s, recorder(), "b");
    deliverPmi(s, recorder());
    expect(canTakeNmi(s)).toBe(false);
    raisePmi(s, recorder(), "c");
    expect(canDeliverPmi(s)).toBe(false);
    iretFromNmi(s);
    expect(canTakeNmi(s)).toBe(true);
  });

  it("keeps at most MAX_PENDING_PMIS pending", () => {
    const s = initialHwState();
    for (let i = 0; i < 5; i++) raisePmi(s, recorder(), "x");
    expect(s.pmiPending).toBe(MAX_PENDING_PMIS);
  });
});
