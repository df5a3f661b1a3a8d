/**
 * Frontiers: where a search keeps the states it has discovered and not yet expanded, as records
 * of a node id and the packed state, in typed arrays (one allocation per doubling, none per
 * state). A queue gives breadth-first order, a stack depth-first order.
 */
export interface Frontier {
  /** Keep a record: node id and `stride` packed words at `at`. */
  push(id: number, rec: Int32Array, at: number): void;
  /** Copy the next record's words into `out` and return its node id, or -1 when empty. */
  pop(out: Int32Array): number;
  readonly size: number;
  /** Most records held at once. */
  readonly peak: number;
  bytes(): number;
}

/** First in, first out: records from `head` to `tail`; the buffer is compacted or doubled when the tail reaches its end. */
export class RecordQueue implements Frontier {
  private buf: Int32Array;
  private head = 0;
  private tail = 0;
  peak = 0;
  private readonly r: number;
  constructor(private readonly stride: number) {
    this.r = stride + 1;
    this.buf = new Int32Array(1024 * this.r);
  }
  get size(): number {
    return (this.tail - this.head) / this.r;
  }
  push(id: number, rec: Int32Array, at: number): void {
    if (this.tail + this.r > this.buf.length) this.makeRoom();
    const b = this.buf;
    let t = this.tail;
    b[t++] = id;
    for (let i = 0; i < this.stride; i++) b[t++] = rec[at + i] as number;
    this.tail = t;
    const n = (t - this.head) / this.r;
    if (n > this.peak) this.peak = n;
  }
  pop(out: Int32Array): number {
    if (this.head === this.tail) return -1;
    const b = this.buf;
    let h = this.head;
    const id = b[h++] as number;
    for (let i = 0; i < this.stride; i++) out[i] = b[h++] as number;
    this.head = h === this.tail ? (this.tail = 0) : h;
    return id;
  }
  bytes(): number {
    return this.buf.byteLength;
  }
  private makeRoom(): void {
    const live = this.tail - this.head;
    if (this.head >= this.buf.length / 2) this.buf.copyWithin(0, this.head, this.tail);
    else {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf.subarray(this.head, this.tail));
      this.buf = next;
    }
    this.head = 0;
    this.tail = live;
  }
}

/** Last in, first out. */
export class RecordStack implements Frontier {
  private buf: Int32Array;
  size = 0;
  peak = 0;
  constructor(private readonly stride: number) {
    this.buf = new Int32Array(1024 * (stride + 1));
  }
  push(id: number, rec: Int32Array, at: number): void {
    const r = this.stride + 1;
    if ((this.size + 1) * r > this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    const base = this.size * r;
    this.buf[base] = id;
    for (let i = 0; i < this.stride; i++) this.buf[base + 1 + i] = rec[at + i] as number;
    if (++this.size > this.peak) this.peak = this.size;
  }
  pop(out: Int32Array): number {
    if (this.size === 0) return -1;
    const r = this.stride + 1;
    const base = --this.size * r;
    for (let i = 0; i < this.stride; i++) out[i] = this.buf[base + 1 + i] as number;
    return this.buf[base] as number;
  }
  bytes(): number {
    return this.buf.byteLength;
  }
}
