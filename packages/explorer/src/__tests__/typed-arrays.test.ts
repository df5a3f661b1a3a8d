import { describe, expect, it } from "vitest";
import { array, defineState, int, list } from "../schema.js";
import { int32s, uint8s, uint16s, unfrozen } from "../typed-arrays.js";

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Int8Array.prototype) as object;
const INTRINSICS = new Set<object>([
  Object.prototype,
  TYPED_ARRAY_PROTOTYPE,
  Int32Array.prototype,
  Uint16Array.prototype,
  Uint8Array.prototype,
]);

function chain(o: object): object[] {
  const out: object[] = [];
  for (let p = Object.getPrototypeOf(o) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null)
    out.push(p);
  return out;
}

describe("typed arrays with a prototype chain no Object.freeze touched (typed-arrays.ts)", () => {
  it("keeps no intrinsic prototype on the chain, and three shadows: the class's, %TypedArray%'s, Object's", () => {
    for (const a of [int32s(4), uint16s(4), uint8s(4), unfrozen(new Int32Array(8).subarray(2, 6))]) {
      const c = chain(a);
      expect(c).toHaveLength(3);
      for (const p of c) expect(INTRINSICS.has(p)).toBe(false);
    }
    expect(Object.getPrototypeOf(int32s(1))).toBe(Object.getPrototypeOf(int32s(2)));
    expect(Object.getPrototypeOf(int32s(1))).not.toBe(Object.getPrototypeOf(uint16s(1)));
    // Moving an array twice changes nothing.
    const a = int32s(2);
    const p = Object.getPrototypeOf(a);
    expect(Object.getPrototypeOf(unfrozen(a))).toBe(p);
  });

  it("behaves as a typed array: elements, length, set, fill, subarray, copyWithin, iteration, includes, tags", () => {
    const a = int32s(6);
    a[0] = 7;
    a[1] = -3;
    a.set([1, 2], 2);
    a.fill(9, 4);
    expect([...a]).toEqual([7, -3, 1, 2, 9, 9]);
    expect(a.length).toBe(6);
    expect(a.byteLength).toBe(24);
    expect(a.includes(-3)).toBe(true);
    expect(a.indexOf(2)).toBe(3);
    a.copyWithin(0, 4, 6);
    expect(Array.from(a.subarray(0, 2))).toEqual([9, 9]);
    // Writes wrap as a typed array's do; an index past the end is ignored.
    const b = uint16s(2);
    b[0] = 0x1_0005;
    (b as unknown as Record<number, number>)[5] = 1;
    expect(b[0]).toBe(5);
    expect(b[5]).toBeUndefined();
    expect(Object.prototype.toString.call(a)).toBe("[object Int32Array]");
    expect(ArrayBuffer.isView(a)).toBe(true);
    expect(a.constructor).toBe(Int32Array);
    expect(a[Symbol.toStringTag]).toBe("Int32Array");
  });

  it("cannot be changed: assigning, redefining or deleting a shadow's property, or re-parenting it, throws", () => {
    const a = int32s(2);
    for (const p of chain(a)) {
      expect(Object.isFrozen(p)).toBe(true);
      expect(() => {
        (p as Record<string, unknown>).constructor = Array;
      }).toThrow(TypeError);
      expect(() => Object.defineProperty(p, "constructor", { value: Array })).toThrow(TypeError);
      expect(() => Object.defineProperty(p, "extra", { value: 1 })).toThrow(TypeError);
      expect(() => {
        delete (p as { constructor?: unknown }).constructor;
      }).toThrow(TypeError);
      expect(() => Object.setPrototypeOf(p, {})).toThrow(TypeError);
    }
    expect(a.fill).toBe(Int32Array.prototype.fill);
    expect(a.constructor).toBe(Int32Array);
  });

  it("is what a state layout hands out: the words and the array and list views", () => {
    const layout = defineState({ x: int(0, 3), arr: array(2, 0, 7), xs: list(3, 0, 7) });
    const s = layout.create();
    const all = [layout.words(s), layout.words(layout.clone(s)), s.arr];
    for (const a of all) {
      expect(chain(a)).toHaveLength(3);
      for (const p of chain(a)) expect(INTRINSICS.has(p)).toBe(false);
    }
  });
});
