import { int32s } from "./typed-arrays.js";

/**
 * Frontiers: where a search keeps the states it has discovered and not yet expanded, as records
 * of a node id and a state's words, in one typed array. The array also holds the search's two
 * working records (slot A, the state being expanded, and slot B, its successor) at its start, so
 * taking a record out and putting one in are each a single copyWithin: no allocation, and about a
 * third of the time of copying word by word. A queue gives breadth-first order, a stack depth-first,
 * a heap least key first.
 */
export abstract class Frontier {
  /** The array: slot A at 0, slot B at `stride`, records after. Replaced when it grows. */
  buf: Int32Array;
  /** Times `buf` was replaced (views over the working slots must then be made again). */
  generation = 0;
  /** Most records held at once. */
  peak = 0;
  protected readonly r: number;
  protected readonly base: number;

  constructor(readonly stride: number) {
    this.r = stride + 1;
    this.base = 2 * stride;
    this.buf = int32s(this.base + 1024 * this.r);
  }

  abstract readonly size: number;
  /** Keep slot B as a record of node `id`. */
  abstract push(id: number): void;
  /** Move the next record into slot A and return its node id, or -1 when empty. */
  abstract pop(): number;

  bytes(): number {
    return this.buf.byteLength;
  }

  protected replace(next: Int32Array): void {
    next.set(this.buf.subarray(0, this.base));
    this.buf = next;
    this.generation++;
  }
}

/** First in, first out: records from `head` to `tail`; compacted or doubled when the tail reaches the end. */
export class RecordQueue extends Frontier {
  private head: number;
  private tail: number;

  constructor(stride: number) {
    super(stride);
    this.head = this.tail = this.base;
  }

  get size(): number {
    return (this.tail - this.head) / this.r;
  }

  push(id: number): void {
    if (this.tail + this.r > this.buf.length) this.makeRoom();
    const b = this.buf;
    b[this.tail] = id;
    b.copyWithin(this.tail + 1, this.stride, this.base);
    this.tail += this.r;
    const n = (this.tail - this.head) / this.r;
    if (n > this.peak) this.peak = n;
  }

  pop(): number {
    if (this.head === this.tail) return -1;
    const b = this.buf;
    const id = b[this.head] as number;
    b.copyWithin(0, this.head + 1, this.head + this.r);
    this.head += this.r;
    if (this.head === this.tail) this.head = this.tail = this.base;
    return id;
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    if (this.head - this.base >= (this.buf.length - this.base) / 2) {
      this.buf.copyWithin(this.base, this.head, this.tail);
    } else {
      const next = int32s(this.base + (this.buf.length - this.base) * 2);
      next.set(this.buf.subarray(this.head, this.tail), this.base);
      this.replace(next);
    }
    this.head = this.base;
    this.tail = this.base + live;
  }
}

/** Last in, first out. */
export class RecordStack extends Frontier {
  private top: number;

  constructor(stride: number) {
    super(stride);
    this.top = this.base;
  }

  get size(): number {
    return (this.top - this.base) / this.r;
  }

  push(id: number): void {
    if (this.top + this.r > this.buf.length) {
      const next = int32s(this.base + (this.buf.length - this.base) * 2);
      next.set(this.buf.subarray(this.base, this.top), this.base);
      this.replace(next);
    }
    const b = this.buf;
    b[this.top] = id;
    b.copyWithin(this.top + 1, this.stride, this.base);
    this.top += this.r;
    const n = (this.top - this.base) / this.r;
    if (n > this.peak) this.peak = n;
  }

  pop(): number {
    if (this.top === this.base) return -1;
    this.top -= this.r;
    const b = this.buf;
    b.copyWithin(0, this.top + 1, this.top + this.r);
    return b[this.top] as number;
  }
}

/** A binary heap of node ids ordered by (key, id): ties go to the node discovered first. */
class KeyHeap {
  private ids = int32s(1024);
  size = 0;

  constructor(private readonly key: (id: number) => number) {}

  private less(a: number, b: number): boolean {
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb || (ka === kb && a < b);
  }

  push(id: number): void {
    if (this.size === this.ids.length) {
      const n = int32s(this.ids.length * 2);
      n.set(this.ids);
      this.ids = n;
    }
    const h = this.ids;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(id, h[p] as number)) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = id;
  }

  pop(): number {
    if (this.size === 0) return -1;
    const h = this.ids;
    const top = h[0] as number;
    const last = h[--this.size] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.less(h[r] as number, h[l] as number) ? r : l;
      if (!this.less(h[c] as number, last)) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
    return top;
  }

  bytes(): number {
    return this.ids.byteLength;
  }
}

/**
 * Least key first (a priority queue, for a search that settles states in order of a key): ids in a
 * heap ordered by (key, id), each node's record kept at its id (node ids are dense: every node the
 * search makes is pushed once). A record stays after it is popped, as a node superseded by a
 * cheaper path to its state stays in the heap: the search skips it when it comes out.
 */
export class KeyedFrontier extends Frontier {
  private readonly heap: KeyHeap;

  constructor(stride: number, key: (id: number) => number) {
    super(stride);
    this.heap = new KeyHeap(key);
  }

  get size(): number {
    return this.heap.size;
  }

  push(id: number): void {
    const at = this.base + id * this.stride;
    if (at + this.stride > this.buf.length) {
      let n = this.buf.length - this.base;
      while (this.base + n < at + this.stride) n *= 2;
      const next = int32s(this.base + n);
      next.set(this.buf.subarray(this.base, at), this.base);
      this.replace(next);
    }
    this.buf.copyWithin(at, this.stride, this.base);
    this.heap.push(id);
    if (this.heap.size > this.peak) this.peak = this.heap.size;
  }

  pop(): number {
    const id = this.heap.pop();
    if (id < 0) return -1;
    const at = this.base + id * this.stride;
    this.buf.copyWithin(0, at, at + this.stride);
    return id;
  }

  override bytes(): number {
    return this.buf.byteLength + this.heap.bytes();
  }
}

/**
 * Least depth first, for breadth-first search over compressed chains (search.ts, `chains`): a
 * successor may lie several steps below the state it came from, so one queue would no longer give
 * states in order of depth. A queue per depth (Dial's buckets); depths only grow as states are
 * taken out, so the lowest non-empty bucket is found by walking forward. Records are copied in
 * from slot B and out to slot A, so `buf` holds the two working slots only and is never replaced.
 */
export class DepthBuckets extends Frontier {
  private readonly buckets: ({ a: Int32Array; head: number; tail: number } | undefined)[] = [];
  private low = 0;
  private count = 0;

  constructor(
    stride: number,
    private readonly depthOf: (id: number) => number,
  ) {
    super(stride);
    this.buf = int32s(this.base);
  }

  get size(): number {
    return this.count;
  }

  push(id: number): void {
    const d = this.depthOf(id);
    let b = this.buckets[d];
    if (!b) {
      b = { a: int32s(64 * this.r), head: 0, tail: 0 };
      this.buckets[d] = b;
    }
    if (b.tail + this.r > b.a.length) {
      const live = b.tail - b.head;
      const next = live * 2 + this.r > b.a.length ? int32s(b.a.length * 2) : b.a;
      next.set(b.a.subarray(b.head, b.tail), 0);
      b.a = next;
      b.head = 0;
      b.tail = live;
    }
    b.a[b.tail] = id;
    b.a.set(this.buf.subarray(this.stride, this.base), b.tail + 1);
    b.tail += this.r;
    if (d < this.low) this.low = d;
    if (++this.count > this.peak) this.peak = this.count;
  }

  pop(): number {
    if (this.count === 0) return -1;
    let b = this.buckets[this.low];
    while (!b || b.head === b.tail) {
      this.buckets[this.low] = undefined;
      b = this.buckets[++this.low];
    }
    const id = b.a[b.head] as number;
    this.buf.set(b.a.subarray(b.head + 1, b.head + this.r), 0);
    b.head += this.r;
    this.count--;
    return id;
  }

  override bytes(): number {
    let n = this.buf.byteLength;
    for (const b of this.buckets) if (b) n += b.a.byteLength;
    return n;
  }
}
