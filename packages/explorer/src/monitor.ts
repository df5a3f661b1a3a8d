import type { Property } from "./model.js";

/** Where each property stands during a run: first violation or witness (as a node id), longest run. */
export class PropertyMonitor<S> {
  readonly found: (number | undefined)[];
  readonly longest: number[];
  private readonly persistence: number[];

  /**
   * With `depthOf`, a property found again at a node of smaller depth takes that node (a search
   * over compressed chains may meet a state first along a longer path; search.ts). Without it, the
   * first node found stays.
   */
  constructor(
    readonly properties: readonly Property<S>[],
    private readonly onFound?: (property: string) => void,
    private readonly depthOf?: (id: number) => number,
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

  /** Property i has no node yet, or (with depthOf) one deeper than `depth`. */
  private open(i: number, depth: number): boolean {
    const f = this.found[i];
    return f === undefined || (this.depthOf !== undefined && depth < this.depthOf(f));
  }

  private record(i: number, node: number): void {
    const first = this.found[i] === undefined;
    this.found[i] = node;
    if (first) this.onFound?.((this.properties[i] as Property<S>).id);
  }

  /** Check a newly discovered node; records the first violation/witness of each property. */
  check(s: S, counters: number, node: number): void {
    const depth = this.depthOf ? this.depthOf(node) : 0;
    let j = 0;
    for (let i = 0; i < this.properties.length; i++) {
      const p = this.properties[i] as Property<S>;
      if (p.kind === "persistence") {
        const c = (counters >>> (4 * j++)) & 0xf;
        if (c > (this.longest[i] as number)) this.longest[i] = c;
        if (c > p.bound && this.open(i, depth)) this.record(i, node);
      } else if (this.open(i, depth) && p.holds(s) === (p.kind === "sometimes")) this.record(i, node);
    }
  }

  /**
   * Would `check` record anything for a state at this depth? For a state the search passes
   * through without keeping (a compressed chain's inner state): it makes a node for it only then.
   * Updates the longest persistence runs, as `check` does.
   */
  wants(s: S, counters: number, depth: number): boolean {
    let j = 0;
    let want = false;
    for (let i = 0; i < this.properties.length; i++) {
      const p = this.properties[i] as Property<S>;
      if (p.kind === "persistence") {
        const c = (counters >>> (4 * j++)) & 0xf;
        if (c > (this.longest[i] as number)) this.longest[i] = c;
        if (c > p.bound && this.open(i, depth)) want = true;
      } else if (!want && this.open(i, depth) && p.holds(s) === (p.kind === "sometimes")) want = true;
    }
    return want;
  }
}
