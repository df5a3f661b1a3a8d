/**
 * The visited set: each state's key in an open-addressing table of typed arrays (no boxed
 * numbers, nothing for the garbage collector), with the id of the node that holds the state.
 *
 * A state of at most four words is its own key: the table keeps the words, so equal keys mean
 * equal states. A larger state's key is a 64-bit hash of its words (two independent 32-bit
 * lanes), and the chance that two of the states explored share one is estimated as TLC does
 * (collisionProbability). In exact mode the table also keeps every state's words in an arena and
 * compares them, so a shared hash never merges two states.
 */
import { int32s } from "./typed-arrays.js";

/** Bijective 32-bit mix (murmur3's finaliser): distinct inputs give distinct outputs. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Words a state may have and still be its own key. */
export const EXACT_KEY_WORDS = 4;

/** How the visited set tells states apart. */
export type StorageMode = "exact-key" | "fingerprint" | "exact";

/** Entries of the recent-keys cache (a direct-mapped cache small enough for the CPU's cache). */
const RECENT_BITS = 14;
const RECENT_MASK = (1 << RECENT_BITS) - 1;

/** Growable arena of states (exact mode), `stride` words each. */
export class Arena {
  private words: Int32Array;
  size = 0;
  constructor(readonly stride: number) {
    this.words = int32s(Math.max(stride, 1) * 4096);
  }
  push(src: Int32Array): number {
    const s = this.stride;
    if ((this.size + 1) * s > this.words.length) {
      const bigger = int32s(this.words.length * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    const base = this.size * s;
    for (let i = 0; i < s; i++) this.words[base + i] = src[i] as number;
    return this.size++;
  }
  equals(id: number, src: Int32Array): boolean {
    const s = this.stride;
    const base = id * s;
    for (let i = 0; i < s; i++) if (this.words[base + i] !== src[i]) return false;
    return true;
  }
  bytes(): number {
    return this.words.byteLength;
  }
}

export class StateTable {
  readonly mode: StorageMode;
  /** Words of a key: the state's own words (exact-key), or a 64-bit hash. */
  private readonly kw: number;
  private keys: Int32Array;
  /** id + 1 of the node holding the state (0: empty slot); in exact mode then its arena slot. */
  private ids: Int32Array;
  private readonly idStride: number;
  private mask: number;
  size = 0;
  private readonly arena: Arena | undefined;
  /** The key being looked up. */
  private readonly key: Int32Array;
  /** Recently seen keys and their ids: most repeats are of states met moments ago. */
  private readonly recent: Int32Array;

  constructor(
    private readonly stride: number,
    exact: boolean,
    capacityPow2 = 1 << 12,
  ) {
    this.mode = exact ? "exact" : stride <= EXACT_KEY_WORDS ? "exact-key" : "fingerprint";
    this.kw = this.mode === "exact-key" ? Math.max(stride, 1) : 2;
    this.idStride = this.mode === "exact" ? 2 : 1;
    this.keys = int32s(capacityPow2 * this.kw);
    this.ids = int32s(capacityPow2 * this.idStride);
    this.mask = capacityPow2 - 1;
    this.key = int32s(this.kw);
    this.recent = int32s((RECENT_MASK + 1) * (this.kw + 1));
    if (this.mode === "exact") this.arena = new Arena(stride);
  }

  /** Fill `key` from a state's words; returns a well-mixed 32-bit hash for the slot. */
  private keyOf(rec: Int32Array): number {
    const n = this.stride;
    const k = this.key;
    if (this.mode === "exact-key") {
      let h = 0x632be5ab;
      for (let i = 0; i < n; i++) {
        const x = rec[i] as number;
        k[i] = x;
        h = fmix(h ^ x) + i;
      }
      return fmix(h);
    }
    let a = 0x9e3779b9 ^ n;
    let b = 0x7f4a7c15 ^ Math.imul(n, 0x61c88647);
    for (let i = 0; i < n; i++) {
      const x = rec[i] as number;
      a = Math.imul(a ^ x, 0x01000193);
      a ^= a >>> 15;
      b = Math.imul(b + x, 0x5bd1e995) ^ (b >>> 13);
    }
    const hi = fmix(a ^ Math.imul(b, 0x27d4eb2f));
    const lo = fmix(b + Math.imul(a, 0x165667b1));
    k[0] = hi;
    k[1] = lo;
    return fmix(lo ^ fmix(hi + 0x632be5ab));
  }

  private keyAt(arr: Int32Array, base: number): boolean {
    const k = this.key;
    for (let i = 0; i < this.kw; i++) if (arr[base + i] !== k[i]) return false;
    return true;
  }

  /**
   * Look a state up by its words; if it is new, insert it with node `id` and return -1, else
   * return the node id it already has.
   */
  add(rec: Int32Array, id: number): number {
    if (this.size * 4 >= (this.mask + 1) * 3) this.grow();
    const h = this.keyOf(rec);
    const kw = this.kw;
    const r = this.recent;
    const c = (h & RECENT_MASK) * (kw + 1);
    if (!this.arena && r[c + kw] !== 0 && this.keyAt(r, c)) return (r[c + kw] as number) - 1;
    const d = this.idStride;
    let i = h & this.mask;
    for (;;) {
      const cur = this.ids[d * i] as number;
      if (cur === 0) break;
      if (this.keyAt(this.keys, kw * i) && (!this.arena || this.arena.equals(this.ids[d * i + 1] as number, rec))) {
        this.remember(c, cur);
        return cur - 1;
      }
      i = (i + 1) & this.mask;
    }
    for (let j = 0; j < kw; j++) this.keys[kw * i + j] = this.key[j] as number;
    this.ids[d * i] = id + 1;
    if (this.arena) this.ids[d * i + 1] = this.arena.push(rec);
    this.size++;
    this.remember(c, id + 1);
    return -1;
  }

  /** Point a state at another node (a shorter path to it, depth-first search). */
  replace(rec: Int32Array, id: number): void {
    const h = this.keyOf(rec);
    const kw = this.kw;
    const d = this.idStride;
    let i = h & this.mask;
    for (;;) {
      if (this.ids[d * i] === 0) return;
      if (this.keyAt(this.keys, kw * i) && (!this.arena || this.arena.equals(this.ids[d * i + 1] as number, rec))) {
        this.ids[d * i] = id + 1;
        const c = (h & RECENT_MASK) * (kw + 1);
        if (this.keyAt(this.recent, c)) this.recent[c + kw] = id + 1;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private remember(c: number, idPlus1: number): void {
    const r = this.recent;
    const kw = this.kw;
    for (let j = 0; j < kw; j++) r[c + j] = this.key[j] as number;
    r[c + kw] = idPlus1;
  }

  bytes(): number {
    return this.keys.byteLength + this.ids.byteLength + this.recent.byteLength + (this.arena?.bytes() ?? 0);
  }

  /** Double the table. Slots are found again from the keys (no state is rehashed from its words). */
  private grow(): void {
    const ok = this.keys;
    const oi = this.ids;
    const kw = this.kw;
    const d = this.idStride;
    const cap = (this.mask + 1) * 2;
    this.keys = int32s(cap * kw);
    this.ids = int32s(cap * d);
    this.mask = cap - 1;
    for (let j = 0; j < oi.length / d; j++) {
      if (oi[d * j] === 0) continue;
      let h: number;
      if (this.mode === "exact-key") {
        h = 0x632be5ab;
        for (let t = 0; t < kw; t++) h = fmix(h ^ (ok[kw * j + t] as number)) + t;
        h = fmix(h);
      } else h = fmix((ok[kw * j + 1] as number) ^ fmix((ok[kw * j] as number) + 0x632be5ab));
      let i = h & this.mask;
      while (this.ids[d * i] !== 0) i = (i + 1) & this.mask;
      for (let t = 0; t < kw; t++) this.keys[kw * i + t] = ok[kw * j + t] as number;
      this.ids[d * i] = oi[d * j] as number;
      if (d === 2) this.ids[d * i + 1] = oi[d * j + 1] as number;
    }
  }
}

/**
 * TLC's "calculated (optimistic)" estimate of the probability that two distinct states explored
 * shared a fingerprint: with n distinct states and t states generated (transitions), about
 * n * (t - n) / 2^64 for 64-bit fingerprints. Exact keys and exact mode never merge states: 0.
 */
export function collisionProbability(mode: StorageMode, states: number, transitions: number): number {
  if (mode !== "fingerprint") return 0;
  return Math.min(1, (states * Math.max(transitions - states, 0)) / 2 ** 64);
}
