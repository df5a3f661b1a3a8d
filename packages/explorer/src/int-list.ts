import { rangeError } from "./range-error.js";

/** Typed views an array field's elements live in, chosen by its range. */
export type ElementArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/**
 * A list field's view: its values in a typed view, its length in a bit field of the state, both
 * changed only through these methods. Unused slots are kept 0, so equal lists are equal words.
 */
export class IntList {
  constructor(
    /** The field's dotted path and declared range, for the range check of every write. */
    private readonly path: string,
    private readonly min: number,
    private readonly max: number,
    private readonly $w: Int32Array,
    /** The length field: word, shift and mask (bits) in the state's words. */
    private readonly lw: number,
    private readonly ls: number,
    private readonly lm: number,
    private readonly values: ElementArray,
    readonly capacity: number,
  ) {
    Object.freeze(this);
  }

  get length(): number {
    return ((this.$w[this.lw] as number) >>> this.ls) & this.lm;
  }

  private setLength(n: number): void {
    const w = this.$w;
    w[this.lw] = ((w[this.lw] as number) & ~(this.lm << this.ls)) | (n << this.ls);
  }

  at(i: number): number {
    return this.values[i] as number;
  }

  /** Refuse a value outside the declared range before it is stored (the view would wrap it). */
  private checked(i: number, v: number): number {
    if (v < this.min || v > this.max || v !== Math.trunc(v)) rangeError(`${this.path}[${i}]`, v, this.min, this.max);
    return v;
  }

  set(i: number, v: number): void {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    this.values[i] = this.checked(i, v);
  }

  /** Append; false (unchanged) when the list is full. */
  push(v: number): boolean {
    const n = this.length;
    if (n >= this.capacity) return false;
    this.values[n] = this.checked(n, v);
    this.setLength(n + 1);
    return true;
  }

  /** Remove the value at i, moving the last value into its slot (order kept for every other value). */
  removeSwapLast(i: number): void {
    const n = this.length;
    if (i < 0 || i >= n) throw new RangeError(`list index ${i} out of range (length ${n})`);
    this.values[i] = this.values[n - 1] as number;
    this.values[n - 1] = 0;
    this.setLength(n - 1);
  }

  clear(): void {
    this.values.fill(0);
    this.setLength(0);
  }

  /** Replace the contents. */
  assign(values: readonly number[]): void {
    if (values.length > this.capacity)
      throw new RangeError(`${values.length} values do not fit a list of capacity ${this.capacity}`);
    for (let i = 0; i < values.length; i++) this.checked(i, values[i] as number);
    this.values.fill(0);
    for (let i = 0; i < values.length; i++) this.values[i] = values[i] as number;
    this.setLength(values.length);
  }

  toArray(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i));
    return out;
  }
}
