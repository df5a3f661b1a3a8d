import type { Property } from "./model.js";

/** Where each property stands during a run: first violation or witness (as a node id), longest run. */
export class PropertyMonitor<S> {
  readonly found: (number | undefined)[];
  readonly longest: number[];
  private readonly persistence: number[];

  constructor(
    readonly properties: readonly Property<S>[],
    private readonly onFound?: (property: string) => void,
  ) {
    this.found = properties.map(() => undefined);
    this.longest = properties.map(() => 0);
    this.persistence = properties.flatMap((p, i) => (p.kind === "persistence" ? [i] : []));
    if (this.persistence.length > 7) throw new Error("at most 7 persistence properties per run");
    for (const i of this.persistence) {
      const p = properties[i] as Extract<Property<S>, { kind: "persistence" }>;
      if (p.bound > 14) throw new Error(`persistence property ${p.id}: bound ${p.bound} is above 14`);
    }
  }

  /**
   * Monitor counters of the initial state (a persistence run starts at 0 ticks). Counters are
   * packed 4 bits each into one word (bounds up to 14, at most 7 persistence properties), kept
   * with the packed state: the explored state is the pair.
   */
  initialCounters(): number {
    return 0;
  }

  get hasCounters(): boolean {
    return this.persistence.length > 0;
  }

  /** Counters after the transition s -> t: reset when the condition is false, +1 on progress, capped at bound + 1. */
  step(counters: number, s: S, t: S): number {
    let out = 0;
    for (let j = 0; j < this.persistence.length; j++) {
      const p = this.properties[this.persistence[j] as number] as Extract<Property<S>, { kind: "persistence" }>;
      const c = (counters >>> (4 * j)) & 0xf;
      const n = !p.condition(t) ? 0 : p.progress(s, t) ? Math.min(c + 1, p.bound + 1) : c;
      out |= n << (4 * j);
    }
    return out >>> 0;
  }

  /** Check a newly discovered node; records the first violation/witness of each property. */
  check(s: S, counters: number, node: number): void {
    let j = 0;
    for (let i = 0; i < this.properties.length; i++) {
      const p = this.properties[i] as Property<S>;
      if (p.kind === "persistence") {
        const c = (counters >>> (4 * j++)) & 0xf;
        if (c > (this.longest[i] as number)) this.longest[i] = c;
        if (c > p.bound && this.found[i] === undefined) {
          this.found[i] = node;
          this.onFound?.(p.id);
        }
      } else if (this.found[i] === undefined && p.holds(s) === (p.kind === "sometimes")) {
        this.found[i] = node;
        this.onFound?.(p.id);
      }
    }
  }
}
