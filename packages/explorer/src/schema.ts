/**
 * State schemas: a model declares the fields of its state once (name, integer range, optional
 * metadata for renderers), and everything else is derived from that declaration:
 *
 * - the working form: one Int32 word per field, read and written by name through a generated
 *   view object (`s.hw.pebsEnable = 1`, `s.perf.events[2]`), whose layout is fixed, so the code
 *   that reads it stays monomorphic; a view is frozen, so a field that is not declared cannot be
 *   stored (writing one throws);
 * - the stored form: the fields bit-packed into as few 32-bit words as their ranges need (a
 *   field never straddles a word), which is what the explorer hashes, compares and keeps; packing
 *   checks every value against its declared range, so a rule that writes outside it is caught at
 *   the transition that did it;
 * - clone, equality and the list of fields with their names, for traces and describers.
 *
 * Fields are integers of at most 31 bits of range. Arrays have a fixed length, lists a capacity
 * and a length (a hidden word); unused list slots are kept 0 so equal lists pack equally.
 *
 * Every out-of-range write fails with StateRangeError naming the field. A scalar's setter and a
 * list's methods refuse the value as it is written. An array is a typed view: when its range is
 * narrower than the view, the explorer's check after each transition refuses a value outside it;
 * when the range fills the view (0..255 in a Uint8Array: 1000 would be stored as 232, and no
 * check could tell), the view is wrapped so that every write is checked as it happens.
 */
import { type ElementArray, IntList } from "./int-list.js";
import { rangeError } from "./range-error.js";
import { int32s, unfrozen } from "./typed-arrays.js";

/** A scalar field: an integer in [min, max]. `meta` is for renderers (the explorer ignores it). */
export interface IntField<M = unknown> {
  readonly kind: "int";
  readonly min: number;
  readonly max: number;
  readonly meta?: M;
  /**
   * How many of the lowest values (min, min + 1, ...) mark the value as forgotten: a model that
   * resets a dead field to one of them (a value no code will read before it is written again)
   * stores fewer states. The view's getter counts every read that returns one
   * (StateLayout.forgottenReads), so a run can tell that the field was not dead after all.
   */
  readonly forgotten?: number;
}

/** A fixed-length array of integers in [min, max]. */
export interface ArrayField<M = unknown> {
  readonly kind: "array";
  readonly length: number;
  readonly min: number;
  readonly max: number;
  readonly meta?: M;
}

/** A list of at most `capacity` integers in [min, max], with its length. */
export interface ListField<M = unknown> {
  readonly kind: "list";
  readonly capacity: number;
  readonly min: number;
  readonly max: number;
  readonly meta?: M;
}

export type FieldSpec<M = unknown> = IntField<M> | ArrayField<M> | ListField<M>;

/** A group of fields (and nested groups), in declaration order. */
export interface GroupSpec<M = unknown> {
  readonly [name: string]: FieldSpec<M> | GroupSpec<M>;
}

/** An integer field in [min, max]. */
export function int<M>(min: number, max: number, meta?: M): IntField<M> {
  return meta === undefined ? { kind: "int", min, max } : { kind: "int", min, max, meta };
}

/**
 * A scalar field whose `n` lowest values mark it as forgotten (IntField.forgotten): reads of them
 * through a state view are counted, never hidden.
 */
export function forgettable<M>(f: IntField<M>, n: number): IntField<M> {
  if (!Number.isInteger(n) || n < 1 || f.min + n > f.max)
    throw new RangeError(`a forgettable field needs 1 to ${f.max - f.min} forgotten values, got ${n}`);
  return { ...f, forgotten: n };
}

/** An n-bit unsigned field (0 .. 2^n - 1). */
export function bits<M>(n: number, meta?: M): IntField<M> {
  return int(0, 2 ** n - 1, meta);
}

/** A 0/1 field. */
export function flag<M>(meta?: M): IntField<M> {
  return int(0, 1, meta);
}

export function array<M>(length: number, min: number, max: number, meta?: M): ArrayField<M> {
  return meta === undefined ? { kind: "array", length, min, max } : { kind: "array", length, min, max, meta };
}

export function list<M>(capacity: number, min: number, max: number, meta?: M): ListField<M> {
  return meta === undefined ? { kind: "list", capacity, min, max } : { kind: "list", capacity, min, max, meta };
}

type ScalarKeys<G> = { [K in keyof G]: G[K] extends IntField<unknown> ? K : never }[keyof G];
type OtherKeys<G> = Exclude<keyof G, ScalarKeys<G>>;

/** The view type of a group: scalars are numbers to read and write; arrays, lists and groups are fixed. */
export type ViewOf<G> = { -readonly [K in ScalarKeys<G>]: number } & {
  readonly [K in OtherKeys<G>]: G[K] extends ArrayField<unknown>
    ? ElementArray
    : G[K] extends ListField<unknown>
      ? IntList
      : G[K] extends GroupSpec<unknown>
        ? ViewOf<G[K]>
        : never;
};

/** One declared field, flattened: its dotted path, its range and metadata, and how to read it. */
export interface FieldInfo<M = unknown> {
  readonly path: string;
  readonly kind: FieldSpec["kind"];
  /** Values: 1 for a scalar, the length of an array, the capacity of a list. */
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly meta?: M;
  /** Value i (0 for a scalar) in a state's words; a list's length is `length(words)`. */
  read(words: Int32Array, i?: number): number;
  /** A list's length (0 for other fields). */
  length(words: Int32Array): number;
}

function isField(x: FieldSpec | GroupSpec): x is FieldSpec {
  return typeof (x as FieldSpec).kind === "string" && typeof (x as FieldSpec).min === "number";
}

function widthOf(min: number, max: number): number {
  const range = max - min;
  if (!Number.isInteger(min) || !Number.isInteger(max) || range < 0 || range > 0x7fffffff)
    throw new RangeError(`field range [${min}, ${max}] must be integers at most 2^31 - 1 apart`);
  let w = 0;
  while (2 ** w <= range) w++;
  return w;
}

/** A typed view values can live in, and the values it holds. */
interface ElementView {
  readonly bytes: 1 | 2 | 4;
  readonly lo: number;
  readonly hi: number;
  readonly make: new (b: ArrayBuffer, o: number, n: number) => ElementArray;
}

/** The typed views, narrowest first. */
const ELEMENT_VIEWS: readonly ElementView[] = [
  { bytes: 1, lo: 0, hi: 0xff, make: Uint8Array },
  { bytes: 1, lo: -0x80, hi: 0x7f, make: Int8Array },
  { bytes: 2, lo: 0, hi: 0xffff, make: Uint16Array },
  { bytes: 2, lo: -0x8000, hi: 0x7fff, make: Int16Array },
  { bytes: 4, lo: -(2 ** 31), hi: 2 ** 31 - 1, make: Int32Array },
];

/** The narrowest typed view that holds [min, max] (the state's layout, and so its size, follow from it). */
function elementOf(min: number, max: number): ElementView {
  return ELEMENT_VIEWS.find((v) => v.lo <= min && max <= v.hi) as ElementView;
}

/**
 * The range fills its view: every value the view can hold is in range, so a value written outside
 * it is stored wrapped (1000 as 232 in 0..255) and no check of the stored words can see it; only a
 * check of the write itself can.
 */
function fills(a: Elements): boolean {
  return a.min <= a.el.lo && a.max >= a.el.hi;
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * An array view whose every write is range-checked as it is made, for an array whose range fills
 * its typed view: element writes (`a[i] = v`), fill and set refuse an out-of-range value with
 * StateRangeError before anything is stored; subarray gives a view checked the same way. Reads
 * and the other methods are the typed view's own.
 */
function checkedElements(view: ElementArray, path: string, min: number, max: number): ElementArray {
  const check = (i: number | string, v: unknown): void => {
    const x = v as number;
    if (typeof v !== "number" || x < min || x > max || x !== Math.trunc(x)) rangeError(`${path}[${i}]`, x, min, max);
  };
  const proxy: ElementArray = new Proxy(view, {
    get(t, k) {
      const v: unknown = Reflect.get(t, k, t);
      if (typeof v !== "function") return v;
      if (k === "fill")
        return (value: number, start?: number, end?: number) => {
          check("*", value);
          t.fill(value, start, end);
          return proxy;
        };
      if (k === "set")
        return (src: ArrayLike<number>, offset = 0) => {
          for (let i = 0; i < src.length; i++) check(offset + i, src[i]);
          t.set(src, offset);
        };
      if (k === "subarray")
        return (begin?: number, end?: number) => {
          const sub = t.subarray(begin, end);
          return checkedElements(sub, `${path}[${sub.byteOffset - t.byteOffset}/${t.BYTES_PER_ELEMENT}+]`, min, max);
        };
      return (v as (...a: unknown[]) => unknown).bind(t);
    },
    set(t, k, v) {
      if (typeof k === "string" && INDEX.test(k)) check(k, v);
      return Reflect.set(t, k, v, t);
    },
    defineProperty(t, k, d) {
      if (typeof k === "string" && INDEX.test(k) && "value" in d) check(k, d.value);
      return Reflect.defineProperty(t, k, d);
    },
  });
  return proxy;
}

/** What the explorer needs of a layout: a state's width in 32-bit words, and a check of its values. */
export interface Packing {
  readonly width: number;
  /** Throws StateRangeError when an array element is outside its declared range. */
  check(words: Int32Array): void;
}

interface Scalar {
  path: string;
  word: number;
  shift: number;
  mask: number;
  min: number;
}

interface Elements {
  path: string;
  byte: number;
  count: number;
  min: number;
  max: number;
  el: ReturnType<typeof elementOf>;
  /** For a list: its length scalar. */
  len?: Scalar;
}

/**
 * A compiled schema. A state is a few 32-bit words that are at once what rules read and write and
 * what the explorer stores and hashes: scalars are bit fields packed into words (a field never
 * straddles one), each as wide as its range needs; arrays and lists sit after them in typed views
 * (8, 16 or 32 bits an element, by range) over the same words. Views are generated classes
 * (a getter and a setter with the word, shift and mask as literals per scalar), frozen, and
 * fixed to the words they were made over; a setter refuses a value outside the field's range.
 */
export class StateLayout<G extends GroupSpec = GroupSpec> implements Packing {
  /** 32-bit words of a state. */
  readonly width: number;
  /** Bits of information in a state (the sum of the fields' widths). */
  readonly bits: number;
  readonly fields: readonly FieldInfo[];
  private readonly build: (words: Int32Array) => ViewOf<G>;
  private readonly checkFn: (words: Int32Array) => void;
  /**
   * How many reads through this layout's views have returned a forgotten value (IntField.forgotten),
   * since the layout was made: it only grows. A run compares it before and after.
   */
  readonly forgottenReads: () => number;

  constructor(readonly spec: G) {
    const scalars = new Map<string, Scalar>();
    const arrays = new Map<string, Elements>();
    const order: { path: string; f: FieldSpec }[] = [];
    let bits = 0;
    const walk = (g: GroupSpec, prefix: string): void => {
      for (const [name, f] of Object.entries(g)) {
        if (name.startsWith("$")) throw new Error(`field name ${prefix}${name}: names starting with $ are reserved`);
        const path = `${prefix}${name}`;
        if (!isField(f)) walk(f, `${path}.`);
        else {
          const w = widthOf(f.min, f.max);
          bits += f.kind === "int" ? w : f.kind === "array" ? w * f.length : w * f.capacity + widthOf(0, f.capacity);
          order.push({ path, f });
        }
      }
    };
    walk(spec, "");
    // Scalars (and list lengths) first, bit-packed into words.
    let word = 0;
    let used = 0;
    const place = (path: string, min: number, max: number): Scalar => {
      const w = widthOf(min, max);
      if (used + w > 32) {
        word++;
        used = 0;
      }
      const s = { path, word, shift: used, mask: w === 32 ? -1 : (1 << w) - 1, min };
      used += w;
      return s;
    };
    for (const { path, f } of order) {
      if (f.kind === "int") scalars.set(path, place(path, f.min, f.max));
      else if (f.kind === "list") scalars.set(`${path}.length`, place(`${path}.length`, 0, f.capacity));
    }
    let byte = (used === 0 ? word : word + 1) * 4;
    // Then arrays and list values, widest elements first so each view is aligned.
    for (const size of [4, 2, 1]) {
      for (const { path, f } of order) {
        if (f.kind === "int") continue;
        const min = f.kind === "list" ? Math.min(0, f.min) : f.min;
        const max = f.kind === "list" ? Math.max(0, f.max) : f.max;
        const el = elementOf(min, max);
        if (el.bytes !== size) continue;
        const count = f.kind === "array" ? f.length : f.capacity;
        arrays.set(path, {
          path,
          byte,
          count,
          min,
          max,
          el,
          ...(f.kind === "list" ? { len: scalars.get(`${path}.length`) as Scalar } : {}),
        });
        byte += count * size;
      }
    }
    this.width = Math.ceil(byte / 4);
    this.bits = bits;

    const fields: FieldInfo[] = [];
    for (const { path, f } of order) {
      if (f.kind === "int") {
        const s = scalars.get(path) as Scalar;
        fields.push({
          path,
          kind: "int",
          count: 1,
          min: f.min,
          max: f.max,
          meta: f.meta,
          read: (w) => ((((w[s.word] as number) >>> s.shift) & s.mask) + s.min) | 0,
          length: () => 0,
        });
      } else {
        const a = arrays.get(path) as Elements;
        const len = a.len;
        const view = (w: Int32Array) => new a.el.make(w.buffer as ArrayBuffer, w.byteOffset + a.byte, a.count);
        fields.push({
          path,
          kind: f.kind,
          count: a.count,
          min: f.min,
          max: f.max,
          meta: f.meta,
          read: (w, i = 0) => view(w)[i] as number,
          length: (w) => (len ? ((w[len.word] as number) >>> len.shift) & len.mask : 0),
        });
      }
    }
    this.fields = fields;
    let forgottenReads = 0;
    this.build = compileViews(spec, scalars, arrays, this.width, () => {
      forgottenReads++;
    }) as (words: Int32Array) => ViewOf<G>;
    this.forgottenReads = () => forgottenReads;
    this.checkFn = compileCheck(arrays);
  }

  /** A new state view over fresh words, all zero (which may be outside a field's range). */
  create(): ViewOf<G> {
    return this.build(int32s(this.width));
  }

  /** A view over existing words (shared, not copied). */
  view(words: Int32Array): ViewOf<G> {
    if (words.length !== this.width) throw new RangeError(`a state has ${this.width} words, got ${words.length}`);
    return this.build(words);
  }

  /** The words behind a view made by this layout. */
  words(v: ViewOf<G>): Int32Array {
    return (v as unknown as { $w: Int32Array }).$w;
  }

  clone(v: ViewOf<G>): ViewOf<G> {
    return this.build(unfrozen(this.words(v).slice()));
  }

  /** Copy one state's values into another. */
  copy(from: ViewOf<G>, to: ViewOf<G>): void {
    this.words(to).set(this.words(from));
  }

  equals(a: ViewOf<G>, b: ViewOf<G>): boolean {
    const x = this.words(a);
    const y = this.words(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }

  check(words: Int32Array): void {
    this.checkFn(words);
  }
}

/** Compile a schema. */
export function defineState<G extends GroupSpec>(spec: G): StateLayout<G> {
  return new StateLayout(spec);
}

/**
 * Straight-line checks of the array and list elements whose range is narrower than their typed
 * view. Where the range fills the view, no stored value can be out of range: those writes are
 * checked as they are made (checkedElements; IntList checks every list's writes).
 */
function compileCheck(arrays: Map<string, Elements>): (words: Int32Array) => void {
  const todo = [...arrays.values()].filter((a) => !fills(a));
  if (!todo.length) return () => {};
  // The typed views over the last words checked are kept: the explorer checks the same working words each time.
  const lines: string[] = ["if (w !== last) {", "last = w;"];
  todo.forEach((a, k) => {
    lines.push(`v${k} = new A[${k}].el.make(w.buffer, w.byteOffset + ${a.byte}, ${a.count});`);
  });
  lines.push("}");
  todo.forEach((a, k) => {
    lines.push(
      `for (let i = 0; i < ${a.count}; i++) { const x = v${k}[i]; if (x < ${a.min} || x > ${a.max}) fail(A[${k}].path + "[" + i + "]", x, ${a.min}, ${a.max}); }`,
    );
  });
  const decl = `let last = null; ${todo.map((_, k) => `let v${k} = null;`).join(" ")}`;
  return new Function("A", "fail", `${decl}\nreturn function check(w) {\n${lines.join("\n")}\n};`)(
    todo,
    rangeError,
  ) as (w: Int32Array) => void;
}

/**
 * Generate the view classes: one class per group, with a getter and a setter per scalar (code with
 * the word, shift and mask as literals; the setter checks the range), arrays as typed views over
 * the words (write-checked where their range fills the view), lists as IntList, groups as nested
 * views; every view is frozen.
 */
function compileViews(
  spec: GroupSpec,
  scalars: Map<string, Scalar>,
  arrays: Map<string, Elements>,
  width: number,
  noteForgotten: () => void,
): (words: Int32Array) => unknown {
  type Maker = (words: Int32Array) => object;
  const group = (g: GroupSpec, prefix: string): Maker => {
    const proto: Record<string, unknown> = {};
    const others: ((o: Record<string, unknown>, w: Int32Array) => void)[] = [];
    for (const [name, f] of Object.entries(g)) {
      const path = `${prefix}${name}`;
      if (!isField(f)) {
        const sub = group(f, `${path}.`);
        others.push((o, w) => {
          o[name] = sub(w);
        });
        continue;
      }
      if (f.kind === "int") {
        const s = scalars.get(path) as Scalar;
        const hole = ~(s.mask << s.shift);
        const x = s.min === 0 ? "v" : `(v - ${s.min})`;
        const value = `${s.min === 0 ? "" : "("}((this.$w[${s.word}] >>> ${s.shift}) & ${s.mask})${s.min === 0 ? "" : ` + ${s.min}) | 0`}`;
        Object.defineProperty(proto, name, {
          get: (f.forgotten
            ? new Function(
                "note",
                `return function () { const v = ${value}; if (v < ${f.min + f.forgotten}) note(); return v; };`,
              )(noteForgotten)
            : new Function(`return ${value};`)) as () => number,
          set: new Function(
            "fail",
            `return function (v) { const x = ${x} >>> 0; if (x > ${s.mask >>> 0} || v !== Math.trunc(v)) fail(${JSON.stringify(path)}, v, ${f.min}, ${f.max}); const w = this.$w; w[${s.word}] = (w[${s.word}] & ${hole}) | (x << ${s.shift}); };`,
          )(rangeError) as (v: number) => void,
          enumerable: true,
          // The getters and setters are the layout's: no code holding a view may replace one (a
          // policy that did would change every later row in its worker, and could hide a read of a
          // forgotten value). Not Object.freeze(proto): measured 3 to 9% slower state access.
          configurable: false,
        });
      } else {
        const a = arrays.get(path) as Elements;
        if (f.kind === "array") {
          const checked = fills(a);
          others.push((o, w) => {
            const view = unfrozen(new a.el.make(w.buffer as ArrayBuffer, w.byteOffset + a.byte, a.count));
            o[name] = checked ? checkedElements(view, path, f.min, f.max) : view;
          });
        } else {
          const len = a.len as Scalar;
          others.push((o, w) => {
            o[name] = new IntList(
              path,
              f.min,
              f.max,
              w,
              len.word,
              len.shift,
              len.mask,
              unfrozen(new a.el.make(w.buffer as ArrayBuffer, w.byteOffset + a.byte, a.count)),
              a.count,
            );
          });
        }
      }
    }
    return (w) => {
      if (w.length !== width) throw new RangeError(`a state has ${width} words, got ${w.length}`);
      const o = Object.create(proto) as Record<string, unknown>;
      Object.defineProperty(o, "$w", { value: w });
      for (const f of others) f(o, w);
      return Object.freeze(o);
    };
  };
  return group(spec, "");
}
