import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StateRangeError } from "../range-error.js";
import { array, bits, defineState, flag, forgettable, int, list } from "../schema.js";

const spec = {
  a: { x: int(-1, 6), y: bits(5), f: flag() },
  arr: array(3, -1, 15),
  l: list(4, 0, 1000),
  z: int(0, 0x7fffffff),
};
const layout = defineState(spec);

describe("a forgettable field (IntField.forgotten)", () => {
  it("counts the reads that return one of its forgotten values, and no other read or write", () => {
    const layout = defineState({ a: forgettable(int(-3, 100), 2), b: int(0, 7) });
    const s = layout.create();
    s.a = 5;
    s.b = 3;
    void s.a;
    void s.b;
    expect(layout.forgottenReads()).toBe(0);
    s.a = -3;
    s.a = -2;
    expect(layout.forgottenReads()).toBe(0);
    expect(s.a).toBe(-2);
    s.a = -1;
    expect(s.a).toBe(-1);
    s.a = -3;
    expect(s.a).toBe(-3);
    expect(layout.forgottenReads()).toBe(2);
    // Another layout's counter is its own.
    expect(defineState({ a: forgettable(int(-3, 100), 2) }).forgottenReads()).toBe(0);
  });

  it("a view's getters and setters cannot be replaced or deleted", () => {
    const layout = defineState({ a: forgettable(int(-3, 100), 2), g: { b: int(0, 7) } });
    const s = layout.create();
    expect(() => Object.defineProperty(Object.getPrototypeOf(s), "a", { get: () => 5 })).toThrow(TypeError);
    expect(() => Object.defineProperty(Object.getPrototypeOf(s.g), "b", { value: 1 })).toThrow(TypeError);
    expect(Reflect.deleteProperty(Object.getPrototypeOf(s), "a")).toBe(false);
    s.a = -2;
    void s.a;
    expect(layout.forgottenReads()).toBe(1);
  });

  it("needs at least one forgotten value and one that is not", () => {
    expect(() => forgettable(int(0, 3), 0)).toThrow(RangeError);
    expect(() => forgettable(int(0, 3), 4)).toThrow(RangeError);
    expect(forgettable(int(0, 3), 2).forgotten).toBe(2);
  });
});

describe("a state schema", () => {
  it("packs scalars into bit fields and puts arrays and lists in typed views after them", () => {
    // Scalars x (3 bits), y (5), f (1), l.length (3), z (31): two words; then l's values
    // (0..1000: 16 bits each, 4 of them: two words), then arr (-1..15: a byte each, 3: one word).
    expect(layout.width).toBe(2 + 2 + 1);
    expect(layout.bits).toBe(3 + 5 + 1 + 3 * 5 + 4 * 10 + 3 + 31);
    expect(layout.fields.map((f) => f.path)).toEqual(["a.x", "a.y", "a.f", "arr", "l", "z"]);
    // An Int8Array whose prototype chain is the explorer's own (typed-arrays.ts): not instanceof.
    const arr = layout.create().arr;
    expect(ArrayBuffer.isView(arr) && arr.constructor).toBe(Int8Array);
  });

  it("reads and writes fields by name, and refuses a field that is not declared", () => {
    const s = layout.create();
    s.a.x = 5;
    s.a.y = 31;
    s.arr[1] = 7;
    s.l.push(3);
    expect([s.a.x, s.a.y, s.a.f, s.arr[1], s.l.length]).toEqual([5, 31, 0, 7, 1]);
    expect(s.l.toArray()).toEqual([3]);
    expect(layout.fields[0]?.read(layout.words(s))).toBe(5);
    expect(() => {
      (s.a as unknown as Record<string, number>).undeclared = 1;
    }).toThrow(TypeError);
    expect(() => {
      (s as unknown as Record<string, unknown>).arr = new Int32Array(3);
    }).toThrow(TypeError);
  });

  it("refuses a value outside its declared range, naming the field", () => {
    const s = layout.create();
    expect(() => {
      s.a.x = 7;
    }).toThrow(StateRangeError);
    expect(() => {
      s.a.x = -2;
    }).toThrow("state field a.x = -2 is outside its declared range -1..6");
    expect(() => {
      s.a.y = 1.5;
    }).toThrow("a.y = 1.5");
    s.arr[2] = -2;
    expect(() => layout.check(layout.words(s))).toThrow("arr[2] = -2");
  });

  it("refuses an out-of-range write to an array or list whose range fills its typed view (0..255, 0..0xffff)", () => {
    // A policy's ext slots and kvm.msrs: the 8-bit (16-bit) view would store 1000 as 232 (70000 as 4464).
    const full = defineState({ ext: array(4, 0, 255), msrs: list(3, 0, 0xffff), n: flag() });
    const s = full.create();
    s.ext[1] = 255;
    expect(() => {
      s.ext[1] = 1000;
    }).toThrow(StateRangeError);
    expect(() => {
      s.ext[2] = 1000;
    }).toThrow(
      "state field ext[2] = 1000 is outside its declared range 0..255; the rule that wrote it, or the declaration, is wrong",
    );
    expect(() => {
      s.ext[1] = -1;
    }).toThrow("ext[1] = -1");
    expect(() => s.ext.fill(256)).toThrow(StateRangeError);
    expect(() => s.ext.set([1, 2, 300], 1)).toThrow("ext[3] = 300");
    expect(() => {
      s.ext.subarray(2)[0] = 1000;
    }).toThrow(StateRangeError);
    s.ext[3] = 7;
    expect([...s.ext]).toEqual([0, 255, 0, 7]);
    expect(s.msrs.push(0xffff)).toBe(true);
    expect(() => s.msrs.push(70000)).toThrow("state field msrs[1] = 70000 is outside its declared range 0..65535");
    expect(() => s.msrs.set(0, -1)).toThrow(StateRangeError);
    expect(() => s.msrs.assign([1, 1000000])).toThrow("msrs[1] = 1000000");
    expect(() => s.msrs.set(0, 1.5)).toThrow("msrs[0] = 1.5");
    // Nothing was stored by the refused writes, and the layout is the narrow one.
    expect(s.msrs.toArray()).toEqual([0xffff]);
    expect(full.width).toBe(4); // a word of scalars, then 3 x 16 bits of msrs and 4 x 8 bits of ext
    full.check(full.words(s));
  });

  it("lists keep their unused slots at 0, so equal lists are equal words", () => {
    const a = layout.create();
    const b = layout.create();
    a.l.assign([5, 6, 7]);
    a.l.removeSwapLast(0);
    b.l.assign([7, 6]);
    expect(layout.equals(a, b)).toBe(true);
    expect(a.l.push(1) && a.l.push(2) && a.l.push(3)).toBe(false);
  });

  const values = fc.record({
    x: fc.integer({ min: -1, max: 6 }),
    y: fc.integer({ min: 0, max: 31 }),
    f: fc.integer({ min: 0, max: 1 }),
    arr: fc.array(fc.integer({ min: -1, max: 15 }), { minLength: 3, maxLength: 3 }),
    l: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 4 }),
    z: fc.integer({ min: 0, max: 0x7fffffff }),
  });
  type V = typeof values extends fc.Arbitrary<infer T> ? T : never;
  const make = (v: V) => {
    const s = layout.create();
    s.a.x = v.x;
    s.a.y = v.y;
    s.a.f = v.f;
    s.arr.set(v.arr);
    s.l.assign(v.l);
    s.z = v.z;
    return s;
  };
  const fieldsEqual = (a: ReturnType<typeof make>, b: ReturnType<typeof make>) =>
    a.a.x === b.a.x &&
    a.a.y === b.a.y &&
    a.a.f === b.a.f &&
    a.arr.every((x, i) => x === b.arr[i]) &&
    a.l.toArray().join() === b.l.toArray().join() &&
    a.z === b.z;

  it("every field reads back what was written", () => {
    fc.assert(
      fc.property(values, (v) => {
        const s = make(v);
        expect([s.a.x, s.a.y, s.a.f, [...s.arr], s.l.toArray(), s.z]).toEqual([v.x, v.y, v.f, v.arr, v.l, v.z]);
      }),
    );
  });

  it("two states have equal words (so equal keys) exactly when they are equal field by field", () => {
    fc.assert(
      fc.property(values, values, fc.boolean(), (u, v, same) => {
        const a = make(u);
        const b = make(same ? u : v);
        expect(layout.equals(a, b)).toBe(fieldsEqual(a, b));
      }),
    );
  });
});
