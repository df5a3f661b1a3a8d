import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DS_GUEST, DS_HOST, DS_NONE } from "../debug-store.js";
import { writeHw } from "../fingerprint.js";
import {
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_OTHER_BASE,
  MSR_PEBS_DATA_CFG,
} from "../msr-index.js";
import { NULL_OBSERVER } from "../observer.js";
import { pebsAssist } from "../pebs.js";
import { cloneHw, HW_SCALAR_FIELDS, type HwState, initialHwState } from "../state.js";
import { StateEncoder, StateHasher } from "../state-hash.js";
import { vmEntry, vmExit } from "../vmx.js";
import { entryMsr, listPut, listRemove, packEntry } from "../vmx-lists.js";
import { CFG, recorder } from "./helpers.js";

const small = fc.integer({ min: 0, max: 0xffff });
const msrArb = fc.constantFrom(
  MSR_IA32_PEBS_ENABLE,
  MSR_PEBS_DATA_CFG,
  MSR_IA32_DS_AREA,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_OTHER_BASE,
  MSR_OTHER_BASE + 1,
);
const entryArb = fc.tuple(msrArb, fc.integer({ min: 0, max: 0xff })).map(([m, v]) => packEntry(m, v));

const hwArb: fc.Arbitrary<HwState> = fc
  .record({
    mode: fc.integer({ min: 0, max: 1 }),
    pebsEnable: small,
    pebsDataCfg: small,
    dsArea: fc.constantFrom(DS_NONE, DS_HOST, DS_GUEST),
    globalCtrl: small,
    globalStatus: small,
    evtselEn: small,
    evtselInt: small,
    fixedEn: small,
    pebsRecords: small,
    lvtpcMasked: fc.integer({ min: 0, max: 1 }),
    pmiPending: fc.integer({ min: 0, max: 3 }),
    pmiAge: fc.integer({ min: 0, max: 1 }),
    nmiLatched: fc.integer({ min: 0, max: 1 }),
    nmiBlocked: fc.integer({ min: 0, max: 1 }),
    guestGlobalCtrlField: small,
    hostGlobalCtrlField: small,
    globalCtrlLoadControls: fc.integer({ min: 0, max: 3 }),
    entryList: fc.array(entryArb, { maxLength: 8 }),
    exitList: fc.array(entryArb, { maxLength: 8 }),
    guestPf: fc.integer({ min: 0, max: 1 }),
    guestPfDs: fc.constantFrom(DS_NONE, DS_HOST, DS_GUEST),
    guestPebsRecords: fc.integer({ min: 0, max: 3 }),
  })
  .map((r) => r as HwState);

function encode(s: HwState): string {
  const e = new StateEncoder();
  writeHw(s, e);
  return e.key();
}

function hash(s: HwState): number {
  const h = new StateHasher();
  writeHw(s, h);
  return h.value();
}

describe("state value", () => {
  it("HW_SCALAR_FIELDS names every scalar field of the state", () => {
    const scalars = Object.entries(initialHwState())
      .filter(([, v]) => typeof v === "number")
      .map(([k]) => k)
      .sort();
    expect([...HW_SCALAR_FIELDS].sort()).toEqual(scalars);
  });

  it("a clone is equal and independent: scalars are copied, lists are shared and replaced, never changed", () => {
    fc.assert(
      fc.property(hwArb, entryArb, (s, e) => {
        const before = encode(s);
        const c = cloneHw(s);
        expect(c).toEqual(s);
        c.pebsEnable ^= 1;
        c.entryList = [...c.entryList, e];
        c.exitList = listRemove(c.exitList, entryMsr(e));
        expect(encode(s)).toBe(before);
      }),
    );
  });

  it("two states that differ in any modelled field have different encodings and fingerprints", () => {
    const fieldArb = fc.constantFrom(...HW_SCALAR_FIELDS);
    fc.assert(
      fc.property(hwArb, fieldArb, fc.integer({ min: 1, max: 0xffff }), (s, field, delta) => {
        const t = cloneHw(s);
        t[field] = (t[field] + delta) & 0x1ffff;
        fc.pre(t[field] !== s[field]);
        expect(encode(t)).not.toBe(encode(s));
        expect(hash(t)).not.toBe(hash(s));
      }),
    );
  });

  it("states that differ only in list contents or in where an entry sits have different fingerprints", () => {
    fc.assert(
      fc.property(hwArb, entryArb, (s, e) => {
        const t = cloneHw(s);
        const u = cloneHw(s);
        t.entryList = [...t.entryList, e];
        u.exitList = [...u.exitList, e];
        expect(new Set([encode(s), encode(t), encode(u)]).size).toBe(3);
        expect(new Set([hash(s), hash(t), hash(u)]).size).toBe(3);
      }),
    );
  });

  it("fingerprints are non-negative safe integers and equal for equal states", () => {
    fc.assert(
      fc.property(hwArb, (s) => {
        const h = hash(s);
        expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
        expect(hash(cloneHw(s))).toBe(h);
      }),
    );
  });
});

describe("hardware invariants", () => {
  it("a list never holds more than its capacity, whatever is put or removed", () => {
    const op = fc.oneof(
      fc.record({ put: fc.constant(true), msr: msrArb, v: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ put: fc.constant(false), msr: msrArb, v: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (ops, cap) => {
        let l: readonly number[] = [];
        for (const o of ops) {
          l = o.put ? (listPut(l, o.msr, o.v, cap) ?? l) : listRemove(l, o.msr);
          expect(l.length).toBeLessThanOrEqual(cap);
          expect(l.length).toBeLessThanOrEqual(8);
        }
      }),
    );
  });

  it("an entry/exit pair with empty lists leaves PEBS_ENABLE unchanged", () => {
    fc.assert(
      fc.property(hwArb, (s0) => {
        const s = cloneHw(s0);
        s.entryList = [];
        s.exitList = [];
        s.mode = 0;
        const before = s.pebsEnable;
        vmEntry(s, NULL_OBSERVER);
        expect(s.pebsEnable).toBe(before);
        vmExit(s, NULL_OBSERVER);
        expect(s.pebsEnable).toBe(before);
      }),
    );
  });

  it("a PEBS assist in non-root with the host DS always faults at DS_AREA + 0x38 and never writes a record", () => {
    fc.assert(
      fc.property(hwArb, fc.integer({ min: 0, max: 3 }), (s0, k) => {
        const s = cloneHw(s0);
        s.mode = 1;
        s.dsArea = DS_HOST;
        const obs = recorder();
        pebsAssist(s, k, CFG, obs);
        expect(s.guestPf).toBe(1);
        expect(s.pebsRecords).toBe(s0.pebsRecords);
        expect(s.guestPebsRecords).toBe(s0.guestPebsRecords);
        expect(s.pmiPending).toBe(s0.pmiPending);
        expect(obs.events.some((e) => e.includes("+ 0x38"))).toBe(true);
      }),
    );
  });
});
