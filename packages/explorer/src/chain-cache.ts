import { int32s } from "./typed-arrays.js";

/**
 * Chains already stepped through (search.ts, `chains`): a direct-mapped cache of a fixed number of
 * chain-start records, each kept whole with the depth it was entered at. A chain entered again
 * from another state at the same depth or deeper leads nowhere new (every state on it was checked
 * at a depth no greater, and its end was looked up at one no greater), so the search skips it. The
 * cache compares whole records, so a hit is never wrong; a miss (a slot taken by another chain)
 * only costs stepping through the chain again. Its size is fixed: it is not the visited set.
 */
export class ChainCache {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Cache lookups that found the chain, for a caller's figures. */
  hits = 0;

  constructor(
    private readonly stride: number,
    bits = 15,
  ) {
    this.mask = (1 << bits) - 1;
    // Per slot: depth + 1 (0: empty), then the record.
    this.slots = int32s((this.mask + 1) * (stride + 1));
  }

  /** Was a chain entered at this record at `depth` or less? If not, remember it at `depth`. */
  seen(rec: Int32Array, depth: number): boolean {
    const n = this.stride;
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) {
      h = Math.imul(h ^ (rec[i] as number), 0x01000193);
      h ^= h >>> 15;
    }
    const base = (h & this.mask) * (n + 1);
    const s = this.slots;
    const d = s[base] as number;
    if (d !== 0 && d - 1 <= depth) {
      let same = true;
      for (let i = 0; i < n; i++)
        if (s[base + 1 + i] !== rec[i]) {
          same = false;
          break;
        }
      if (same) {
        this.hits++;
        return true;
      }
    }
    s[base] = depth + 1;
    for (let i = 0; i < n; i++) s[base + 1 + i] = rec[i] as number;
    return false;
  }

  bytes(): number {
    return this.slots.byteLength;
  }
}
