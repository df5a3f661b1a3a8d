/**
 * Fingerprints of plain-value states. A state writes its fields, as small integers, into a sink:
 * the {@link StateHasher} folds them into a 53-bit number (two 32-bit multiply-xorshift lanes);
 * the {@link StateEncoder} keeps them, an exact and injective encoding used by tests and by
 * anything that must compare states without trusting a hash.
 */
export interface StateSink {
  add(n: number): void;
}

/** Two independent 32-bit lanes, combined into a non-negative safe integer. */
export class StateHasher implements StateSink {
  private a = 0x811c9dc5 | 0;
  private b = 0x2545f491 | 0;

  reset(): this {
    this.a = 0x811c9dc5 | 0;
    this.b = 0x2545f491 | 0;
    return this;
  }

  add(n: number): void {
    const x = n | 0;
    let a = Math.imul(this.a ^ x, 0x01000193);
    a ^= a >>> 15;
    this.a = Math.imul(a, 0x2c1b3c6d);
    let b = Math.imul(this.b + x + 0x9e3779b9, 0x85ebca6b);
    b ^= b >>> 13;
    this.b = Math.imul(b, 0xc2b2ae35) ^ (b >>> 16);
  }

  /** 53-bit fingerprint: 32 bits of lane a above 21 bits of lane b. */
  value(): number {
    let a = this.a;
    a ^= a >>> 16;
    a = Math.imul(a, 0x7feb352d);
    a ^= a >>> 15;
    let b = this.b;
    b ^= b >>> 16;
    b = Math.imul(b, 0x846ca68b);
    b ^= b >>> 16;
    return (a >>> 0) * 0x200000 + (b >>> 11);
  }
}

/** Exact encoding: the list of integers a state wrote. */
export class StateEncoder implements StateSink {
  readonly out: number[] = [];
  add(n: number): void {
    this.out.push(n);
  }
  key(): string {
    return this.out.join(",");
  }
}
