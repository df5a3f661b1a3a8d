/**
 * Typed arrays whose prototype chain holds no frozen object, so that writing an element stays a
 * machine store in a sandboxed worker.
 *
 * V8 (Node 20's V8 11.3) compiles `a[i] = x` on a typed array through its generic keyed-store
 * path when an object on the array's prototype chain may hold read-only elements, and an object
 * passed to `Object.freeze` counts, even one with no elements. SES `lockdown()` freezes
 * `%TypedArray%.prototype` and `Object.prototype`, so in every worker that runs plugin code (the
 * CLI's sandbox) each element store into a state's words, the visited set or the frontier took
 * the slow path: measured in one process on the mediated-host-sampling row, 0.42 s plain against
 * 0.87 s after lockdown; a loop of Int32Array stores 40 times slower after
 * `Object.freeze(Object.prototype)` alone, and no slower after `Object.seal` or
 * `Object.preventExtensions` (endojs/endo issue 1563 reports the same).
 *
 * The explorer's arrays therefore get a prototype chain of their own: for each intrinsic prototype
 * on the chain (the array's class, `%TypedArray%`, `Object`), an object with the same properties,
 * each made non-writable and non-configurable, then made non-extensible. Nothing can change them
 * (`Object.isFrozen` is true of each), but none has been through `Object.freeze`, so V8 keeps the
 * fast store. The methods are the intrinsics themselves; what differs from a plain typed array:
 * `instanceof Int32Array` is false (nothing in switchlab asks; `ArrayBuffer.isView` and
 * `Object.prototype.toString` answer as for any typed array), and methods that build a new array
 * (`subarray`, `slice`, `map`) build a plain one: pass it through `unfrozen` when it will be
 * written in a loop.
 */
export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** A copy of `src`'s own properties on a new object inheriting `parent`, made unchangeable without Object.freeze. */
function shadow(src: object, parent: object | null): object {
  const p = Object.create(parent) as object;
  for (const k of Reflect.ownKeys(src)) {
    const d = Object.getOwnPropertyDescriptor(src, k) as PropertyDescriptor;
    if ("value" in d) d.writable = false;
    d.configurable = false;
    Object.defineProperty(p, k, d);
  }
  return Object.preventExtensions(p);
}

const OBJECT = shadow(Object.prototype, null);
const TYPED = shadow(Object.getPrototypeOf(Int8Array.prototype) as object, OBJECT);
/** Each intrinsic prototype's shadow, and the shadows themselves (an array already moved). */
const shadows = new Map<object, object>();
const made = new Set<object>();

/** The same array, its prototype chain replaced by one no `Object.freeze` has touched (see above). */
export function unfrozen<T extends TypedArray>(a: T): T {
  const c = Object.getPrototypeOf(a) as object | null;
  if (c === null || made.has(c)) return a;
  let p = shadows.get(c);
  if (!p) {
    p = shadow(c, TYPED);
    shadows.set(c, p);
    made.add(p);
  }
  Object.setPrototypeOf(a, p);
  return a;
}

/** `new Int32Array(n)` with the prototype chain above. */
export function int32s(n: number): Int32Array {
  return unfrozen(new Int32Array(n));
}

/** `new Uint16Array(n)` with the prototype chain above. */
export function uint16s(n: number): Uint16Array {
  return unfrozen(new Uint16Array(n));
}

/** `new Uint8Array(n)` with the prototype chain above. */
export function uint8s(n: number): Uint8Array {
  return unfrozen(new Uint8Array(n));
}
