import type { Property } from "./model.js";

/** Where each property stands during a run: first violation or witness (as a node id), longest run. */
export class PropertyMonitor<S> {
  readonly found: (number | undefined)[];
  readonly longest: number[];
  private readonly persistence: number[];

  constructor(readonly properties: readonly Property<S>[]) {
    this.found = properties.map(() => undefined);
    this.longest = properties.map(() => 0);
    this.persistence = properties.flatMap((p, i) => (p.kind === "persistence" ? [i] : []));
  }

  /** Monitor counters of the initial state (a persistence run starts at 0 ticks). */
  initialCounters(): number[] {
    return this.persistence.map(() => 0);
  }

  get hasCounters(): boolean {
    return this.persistence.length > 0;
  }

  /** Counters after the transition s -> t: reset when the condition is false, +1 on progress, capped at bound + 1. */
  step(counters: readonly number[], s: S, t: S): number[] {
    const out = new Array<number>(counters.length);
    for (let j = 0; j < this.persistence.length; j++) {
      const p = this.properties[this.persistence[j] as number] as Extract<Property<S>, { kind: "persistence" }>;
      const c = counters[j] as number;
      out[j] = !p.condition(t) ? 0 : p.progress(s, t) ? Math.min(c + 1, p.bound + 1) : c;
    }
    return out;
  }

  /** Fold counters into a fingerprint (the explored state is the pair). */
  mix(fp: number, counters: readonly number[]): number {
    if (counters.length === 0) return fp;
    let hi = Math.floor(fp / 0x200000) >>> 0;
    let lo = fp % 0x200000;
    for (const c of counters) {
      hi = Math.imul(hi ^ (c + 0x9e3779b9), 0x85ebca6b) >>> 0;
      hi ^= hi >>> 13;
      lo = (lo + Math.imul(c + 1, 0x27d4eb2d)) & 0x1fffff;
    }
    return hi * 0x200000 + lo;
  }

  /** Check a newly discovered node; records the first violation/witness of each property. */
  check(s: S, counters: readonly number[], node: number): void {
    let j = 0;
    for (let i = 0; i < this.properties.length; i++) {
      const p = this.properties[i] as Property<S>;
      if (p.kind === "persistence") {
        const c = counters[j++] as number;
        if (c > (this.longest[i] as number)) this.longest[i] = c;
        if (c > p.bound && this.found[i] === undefined) this.found[i] = node;
      } else if (this.found[i] === undefined && p.holds(s) === (p.kind === "sometimes")) {
        this.found[i] = node;
      }
    }
  }
}
