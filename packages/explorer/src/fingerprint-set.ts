/**
 * A set of 53-bit fingerprints with open addressing in a Float64Array: 8 bytes a slot, at most
 * 70% full, and no boxed numbers (a JS Set of doubles above 31 bits boxes every entry). Each
 * slot also keeps the id of the node that first had the fingerprint.
 */
export class FingerprintSet {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacityPow2 = 1 << 12) {
    this.keys = new Float64Array(capacityPow2).fill(-1);
    this.ids = new Int32Array(capacityPow2);
    this.mask = capacityPow2 - 1;
  }

  /** Add a fingerprint with the node id; returns -1 if new, else the id it already had. */
  add(fp: number, id: number): number {
    if (this.size * 10 >= this.keys.length * 7) this.grow();
    let i = (fp >>> 0) & this.mask;
    const keys = this.keys;
    for (;;) {
      const k = keys[i] as number;
      if (k === -1) {
        keys[i] = fp;
        this.ids[i] = id;
        this.size++;
        return -1;
      }
      if (k === fp) return this.ids[i] as number;
      i = (i + 1) & this.mask;
    }
  }

  /** Point an existing fingerprint at another node id (a shorter path to the same state). */
  replace(fp: number, id: number): void {
    let i = (fp >>> 0) & this.mask;
    for (;;) {
      const k = this.keys[i] as number;
      if (k === -1) return;
      if (k === fp) {
        this.ids[i] = id;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  has(fp: number): boolean {
    let i = (fp >>> 0) & this.mask;
    for (;;) {
      const k = this.keys[i] as number;
      if (k === -1) return false;
      if (k === fp) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** Bytes held by the table. */
  bytes(): number {
    return this.keys.byteLength + this.ids.byteLength;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldI = this.ids;
    const cap = oldK.length * 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let j = 0; j < oldK.length; j++) {
      const k = oldK[j] as number;
      if (k !== -1) this.add(k, oldI[j] as number);
    }
  }
}
