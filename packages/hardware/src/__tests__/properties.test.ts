import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DS_GUEST, DS_HOST, DS_NONE } from "../debug-store.js";
import {
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_OTHER_BASE,
  MSR_PEBS_DATA_CFG,
} from "../msr-index.js";
import { NULL_OBSERVER } from "../observer.js";
import { pebsAssist } from "../pebs.js";
import { HW_LAYOUT, HW_SPEC, type HwState, initialHwState } from "../state.js";
import { vmEntry, vmExit } from "../vmx.js";
import { listPut, listRemove, packEntry } from "../vmx-lists.js";
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

type HwValues = Omit<{ -readonly [K in keyof HwState]: HwState[K] }, "entryList" | "exitList" | "pebsLatentAge"> & {
  entryList: number[];
  exitList: number[];
  pebsLatentAge: number[];
};

const hwArb: fc.Arbitrary<HwValues> = fc.record({
  mode: fc.integer({ min: 0, max: 1 }),
  pebsEnable: small,
  pebsDataCfg: fc.integer({ min: 0, max: 15 }),
  dsArea: fc.constantFrom(DS_NONE, DS_HOST, DS_GUEST),
  globalCtrl: small,
  globalStatus: small,
  evtselEn: fc.integer({ min: 0, max: 0xff }),
  evtselInt: fc.integer({ min: 0, max: 0xff }),
  ctrArmed: fc.integer({ min: 0, max: 0xff }),
  fixedEn: fc.integer({ min: 0, max: 0xff }),
  pebsRecords: small,
  lvtpcMasked: fc.integer({ min: 0, max: 1 }),
  lvtpcVector: fc.integer({ min: 0, max: 1 }),
  vpmiIrr: fc.integer({ min: 0, max: 3 }),
  guestPmiAsNmi: fc.integer({ min: 0, max: 1 }),
  pmiOwner: fc.integer({ min: 0, max: 3 }),
  statusGuest: fc.integer({ min: 0, max: 0xff }),
  evtselGuest: fc.integer({ min: 0, max: 0xff }),
  pmiPending: fc.integer({ min: 0, max: 3 }),
  pmiAge: fc.integer({ min: 0, max: 1 }),
  pebsLatent: fc.integer({ min: 0, max: 0xff }),
  pebsLatentAge: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
  nmiLatched: fc.integer({ min: 0, max: 1 }),
  nmiBlocked: fc.integer({ min: 0, max: 1 }),
  guestGlobalCtrlField: small,
  hostGlobalCtrlField: small,
  globalCtrlLoadControls: fc.integer({ min: 0, max: 7 }),
  autostoreGlobalCtrl: fc.integer({ min: 0, max: 1 }),
  autostoreGlobalCtrlValue: small,
  entryList: fc.array(entryArb, { maxLength: 8 }),
  exitList: fc.array(entryArb, { maxLength: 8 }),
  guestPf: fc.integer({ min: 0, max: 1 }),
  guestPfDs: fc.constantFrom(DS_NONE, DS_HOST, DS_GUEST),
  guestPebsRecords: fc.integer({ min: 0, max: 3 }),
});

/** A machine state with the given values, written field by field through its view. */
function hw(v: HwValues): HwState {
  const s = initialHwState();
  for (const [k, x] of Object.entries(v)) {
    if (k === "entryList" || k === "exitList") s[k].assign(x as number[]);
    else if (Array.isArray(x)) {
      const arr = (s as unknown as Record<string, number[]>)[k] as number[];
      for (let i = 0; i < x.length; i++) arr[i] = x[i] as number;
    } else (s as unknown as Record<string, number>)[k] = x as number;
  }
  return s;
}

/** The words behind a state (a group view shares its layout's words). */
const words = (s: HwState) => (s as unknown as { $w: Int32Array }).$w;

describe("state value", () => {
  it("the generator covers every declared field (a new field must be added here too)", () => {
    fc.assert(
      fc.property(hwArb, (v) => {
        expect(Object.keys(v).sort()).toEqual(Object.keys(HW_SPEC).sort());
      }),
      { numRuns: 1 },
    );
  });

  it("every field reads back what was written, and a clone is equal and independent", () => {
    fc.assert(
      fc.property(hwArb, (v) => {
        const s = hw(v);
        for (const [k, x] of Object.entries(v)) {
          const raw = (s as unknown as Record<string, unknown>)[k];
          const got =
            k === "entryList" || k === "exitList"
              ? s[k].toArray()
              : Array.isArray(x)
                ? [...(raw as ArrayLike<number> & Iterable<number>)].slice(0, x.length)
                : raw;
          expect(got).toEqual(x);
        }
        const before = [...words(s)];
        const c = HW_LAYOUT.view(words(s).slice()).hw;
        c.pebsEnable ^= 1;
        c.entryList.clear();
        expect([...words(s)]).toEqual(before);
      }),
    );
  });

  it("two states that differ in any declared field have different words", () => {
    const fields = Object.keys(HW_SPEC).filter((k) => k !== "entryList" && k !== "exitList" && k !== "pebsLatentAge");
    fc.assert(
      fc.property(hwArb, fc.constantFrom(...fields), fc.integer({ min: 0, max: 0xffff }), (v, field, x) => {
        const spec = HW_SPEC[field as keyof typeof HW_SPEC] as { min: number; max: number };
        const value = spec.min + (x % (spec.max - spec.min + 1));
        fc.pre(value !== (v as unknown as Record<string, number>)[field]);
        const t = hw({ ...v, [field]: value });
        expect([...words(t)]).not.toEqual([...words(hw(v))]);
      }),
    );
  });

  it("states that differ in one counter's latent PEBS age have different words", () => {
    fc.assert(
      fc.property(hwArb, fc.integer({ min: 0, max: 7 }), (v, k) => {
        const ages = [...v.pebsLatentAge];
        ages[k] = (ages[k] as number) + 1;
        expect([...words(hw({ ...v, pebsLatentAge: ages }))]).not.toEqual([...words(hw(v))]);
      }),
    );
  });

  it("states that differ only in list contents or in where an entry sits have different words", () => {
    fc.assert(
      fc.property(hwArb, entryArb, (v, e) => {
        fc.pre(v.entryList.length < 8 && v.exitList.length < 8);
        const a = hw(v);
        const t = hw({ ...v, entryList: [...v.entryList, e] });
        const u = hw({ ...v, exitList: [...v.exitList, e] });
        expect(new Set([a, t, u].map((x) => words(x).join())).size).toBe(3);
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
        const l = initialHwState().entryList;
        for (const o of ops) {
          if (o.put) listPut(l, o.msr, o.v, cap);
          else listRemove(l, o.msr);
          expect(l.length).toBeLessThanOrEqual(cap);
          expect(l.length).toBeLessThanOrEqual(8);
        }
      }),
    );
  });

  it("an entry/exit pair with empty lists leaves PEBS_ENABLE unchanged", () => {
    fc.assert(
      fc.property(hwArb, (v) => {
        const s = hw({ ...v, entryList: [], exitList: [], mode: 0 });
        const before = s.pebsEnable;
        vmEntry(s, CFG, NULL_OBSERVER);
        expect(s.pebsEnable).toBe(before);
        vmExit(s, NULL_OBSERVER);
        expect(s.pebsEnable).toBe(before);
      }),
    );
  });

  it("a PEBS assist in non-root with the host DS always faults at DS_AREA + 0x38 and never writes a record", () => {
    fc.assert(
      fc.property(hwArb, fc.integer({ min: 0, max: 3 }), (v, k) => {
        const s0 = hw(v);
        const s = hw({ ...v, mode: 1, dsArea: DS_HOST });
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
