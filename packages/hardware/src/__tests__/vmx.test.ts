import { describe, expect, it } from "vitest";
import { Ledger } from "../ledger.js";
import { MSR_IA32_DS_AREA, MSR_IA32_PEBS_ENABLE, MSR_OTHER_BASE } from "../msr-index.js";
import { msrName } from "../msr-names.js";
import { ENTRY_LOAD_GLOBAL_CTRL, EXIT_LOAD_GLOBAL_CTRL, initialHwState } from "../state.js";
import { nmiVmExit, vmEntry, vmExit } from "../vmx.js";
import { entryMsr, entryValue, listFind, listPut, listRemove, packEntry } from "../vmx-lists.js";
import { CFG, recorder } from "./helpers.js";

/** A fresh machine with the given lists. */
function withLists(entry: number[] = [], exit: number[] = []) {
  const s = initialHwState();
  s.entryList.assign(entry);
  s.exitList.assign(exit);
  return s;
}

describe("MSR-load lists", () => {
  it("packs MSR and value and finds entries by MSR", () => {
    const e = packEntry(MSR_IA32_PEBS_ENABLE, 0b101);
    expect([entryMsr(e), entryValue(e)]).toEqual([MSR_IA32_PEBS_ENABLE, 0b101]);
    expect(listFind(withLists([packEntry(MSR_OTHER_BASE, 0), e]).entryList, MSR_IA32_PEBS_ENABLE)).toBe(1);
    expect(listFind(withLists().entryList, MSR_IA32_PEBS_ENABLE)).toBe(-1);
    expect(() => packEntry(MSR_OTHER_BASE, 0x10000)).toThrow(/does not fit/);
    expect(() => packEntry(0x123, 0)).toThrow(/cannot be put on an MSR-load list/);
  });

  it("overwrites an MSR's slot in place and appends only while there is room", () => {
    const l = withLists().entryList;
    const [a, b, c] = [MSR_OTHER_BASE, MSR_OTHER_BASE + 1, MSR_OTHER_BASE + 2];
    expect(listPut(l, a, 1, 2)).toBe(true);
    expect(listPut(l, b, 1, 2)).toBe(true);
    expect(listPut(l, a, 7, 2)).toBe(true);
    expect(listPut(l, c, 1, 2)).toBe(false);
    expect(l.toArray().map(entryValue)).toEqual([7, 1]);
    expect(l.toArray().map(entryMsr)).toEqual([a, b]);
  });

  it("removes like clear_atomic_switch_msr: the last entry fills the hole", () => {
    const [a, b, c] = [MSR_OTHER_BASE, MSR_OTHER_BASE + 1, MSR_OTHER_BASE + 2];
    const l = withLists([packEntry(a, 0), packEntry(b, 0), packEntry(c, 0)]).entryList;
    expect(listRemove(l, a)).toBe(true);
    expect(l.toArray().map(entryMsr)).toEqual([c, b]);
    expect(listRemove(l, MSR_OTHER_BASE + 9)).toBe(false);
    expect(listRemove(l, b)).toBe(true);
    expect(l.toArray().map(entryMsr)).toEqual([c]);
  });
});

describe("VM-entry and VM-exit", () => {
  it("entry loads the GUEST GLOBAL_CTRL field, then the entry list in order", () => {
    const s = initialHwState();
    s.globalCtrlLoadControls = ENTRY_LOAD_GLOBAL_CTRL | EXIT_LOAD_GLOBAL_CTRL;
    s.guestGlobalCtrlField = 0b10;
    s.pebsEnable = 1;
    s.entryList.assign([packEntry(MSR_IA32_PEBS_ENABLE, 0), packEntry(MSR_IA32_DS_AREA, 2)]);
    const obs = recorder();
    vmEntry(s, CFG, obs);
    expect(s.mode).toBe(1);
    expect([s.globalCtrl, s.pebsEnable, s.dsArea]).toEqual([0b10, 0, 2]);
    expect(obs.writes.map((w) => `${w.kind}:${msrName(w.msr)}`)).toEqual([
      "field-load:GLOBAL_CTRL",
      "entry-load:PEBS_ENABLE",
      "entry-load:DS_AREA",
    ]);
  });

  it("a later list entry for the same MSR wins, because loads happen in order", () => {
    const s = initialHwState();
    s.exitList.assign([packEntry(MSR_IA32_PEBS_ENABLE, 1), packEntry(MSR_IA32_PEBS_ENABLE, 0)]);
    vmExit(s, recorder());
    expect(s.pebsEnable).toBe(0);
  });

  it("exit loads the HOST GLOBAL_CTRL field, then the exit list, and completes a round trip", () => {
    const s = initialHwState();
    s.mode = 1;
    s.globalCtrlLoadControls = EXIT_LOAD_GLOBAL_CTRL;
    s.hostGlobalCtrlField = 0b11;
    s.exitList.assign([packEntry(MSR_IA32_PEBS_ENABLE, 1)]);
    const obs = recorder();
    vmExit(s, obs);
    expect([s.mode, s.globalCtrl, s.pebsEnable, obs.trips]).toEqual([0, 0b11, 1, 1]);
  });

  it("without the load controls GLOBAL_CTRL is not touched by entry or exit", () => {
    const s = initialHwState();
    s.globalCtrl = 0b1;
    s.guestGlobalCtrlField = 0b10;
    vmEntry(s, CFG, recorder());
    expect(s.globalCtrl).toBe(0b1);
  });

  it("an NMI in non-root exits instead of being delivered, leaving NMIs blocked", () => {
    const s = initialHwState();
    s.mode = 1;
    s.nmiLatched = 1;
    nmiVmExit(s, recorder());
    expect([s.mode, s.nmiLatched, s.nmiBlocked]).toEqual([0, 0, 1]);
  });
});

describe("ledger", () => {
  it("counts each kind of MSR traffic by round trip and by MSR", () => {
    const s = initialHwState();
    const l = new Ledger();
    s.globalCtrlLoadControls = ENTRY_LOAD_GLOBAL_CTRL | EXIT_LOAD_GLOBAL_CTRL;
    s.entryList.assign([packEntry(MSR_IA32_PEBS_ENABLE, 0), packEntry(MSR_OTHER_BASE, 1)]);
    s.exitList.assign([packEntry(MSR_IA32_PEBS_ENABLE, 1)]);
    vmEntry(s, CFG, l);
    vmExit(s, l);
    vmEntry(s, CFG, l);
    expect(l.roundTrips).toHaveLength(1);
    expect(l.last()).toEqual({
      wrmsr: 0,
      entryLoads: 2,
      exitLoads: 1,
      fieldLoads: 2,
      byMsr: { GLOBAL_CTRL: 2, PEBS_ENABLE: 2, OTHER0: 1 },
    });
    expect(l.current.entryLoads).toBe(2);
  });
});
