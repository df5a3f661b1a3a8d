import type { MatrixCell } from "../matrix/contract.js";
import type { FrontierEdge } from "./contract.js";
import type { Dimension } from "./dimensions.js";

/** What a probe says about one property: holds (complete, guards reached), violated, or neither. */
export type Probe = "holds" | "violated" | "open";

export function probeOf(c: MatrixCell | undefined): Probe {
  return c?.verdict === "holds" ? "holds" : c?.verdict === "violated" ? "violated" : "open";
}

/**
 * The search along one dimension for one property, given a way to explore the row at a value
 * (memoised by the caller, so properties of a row share explorations).
 *
 * Upward (the cell holds at `from`): probe the ceiling; if violated there, bisect for the smallest
 * violated value (monotone dimensions) or step up one value at a time; if it holds there, it holds
 * all the way (monotone); if the ceiling probe is open (a bound stopped it), bisect for the
 * largest value that still holds and claim nothing above. Downward (violated at `from`): probe the
 * floor; if violated there, it is violated everywhere; else bisect for the smallest violated value.
 */
export function searchEdge(
  d: Dimension,
  from: number,
  ceiling: number,
  start: "holds" | "violated",
  at: (v: number) => MatrixCell | undefined,
): FrontierEdge {
  const probes: number[] = [];
  const look = (v: number): Probe => {
    if (!probes.includes(v)) probes.push(v);
    return probeOf(at(v));
  };
  const cx = (v: number) => {
    const c = at(v)?.counterexample;
    return c ? { counterexample: { actions: c.actions, symptom: c.symptom, reproduce: c.reproduce } } : {};
  };
  const base = { dimension: d.id, from, floor: d.floor, ceiling, method: "probes" } as const;
  /** Smallest v in (lo, hi] with p(v) true, given p(hi) true and p monotone (false below, true above). */
  const bisect = (lo: number, hi: number, p: (v: number) => boolean): number => {
    let l = lo;
    let h = hi;
    while (h - l > 1) {
      const mid = Math.floor((l + h) / 2);
      if (p(mid)) h = mid;
      else l = mid;
    }
    return h;
  };

  if (start === "holds") {
    if (from >= ceiling) return { ...base, direction: "up", holdsUpTo: from, probes };
    if (!d.monotone) {
      let proven = from;
      for (let v = from + 1; v <= ceiling; v++) {
        const p = look(v);
        if (p === "violated") return { ...base, direction: "up", breaksAt: v, holdsUpTo: proven, ...cx(v), probes };
        if (p === "holds" && proven === v - 1) proven = v;
      }
      return {
        ...base,
        direction: "up",
        holdsUpTo: proven,
        ...(proven < ceiling ? { unknownAbove: proven } : {}),
        probes,
      };
    }
    const top = look(ceiling);
    if (top === "holds") return { ...base, direction: "up", holdsUpTo: ceiling, probes };
    if (top === "violated") {
      const b = bisect(from, ceiling, (v) => look(v) === "violated");
      const below = b - 1 === from ? "holds" : look(b - 1);
      return {
        ...base,
        direction: "up",
        breaksAt: b,
        ...(below === "holds" ? { holdsUpTo: b - 1 } : { unknownAbove: from }),
        ...cx(b),
        probes,
      };
    }
    // Open at the ceiling: the largest value that still holds, nothing claimed past it.
    const firstOpen = bisect(from, ceiling, (v) => look(v) !== "holds");
    return { ...base, direction: "up", holdsUpTo: firstOpen - 1, unknownAbove: firstOpen - 1, probes };
  }

  // Violated at `from`: the smallest value at which it is still violated.
  if (from <= d.floor) return { ...base, direction: "down", breaksAt: from, ...cx(from), probes };
  if (!d.monotone) {
    for (let v = d.floor; v < from; v++)
      if (look(v) === "violated") return { ...base, direction: "down", breaksAt: v, ...cx(v), probes };
    return { ...base, direction: "down", breaksAt: from, ...cx(from), probes };
  }
  if (look(d.floor) === "violated") return { ...base, direction: "down", breaksAt: d.floor, ...cx(d.floor), probes };
  const b = bisect(d.floor, from, (v) => v === from || look(v) === "violated");
  const below = look(b - 1);
  return {
    ...base,
    direction: "down",
    breaksAt: b,
    ...(below === "holds" ? { holdsUpTo: b - 1 } : {}),
    ...cx(b),
    probes,
  };
}
