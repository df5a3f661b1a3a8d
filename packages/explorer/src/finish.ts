import { BOUND_INFO, type BoundName, type Bounds } from "./bounds.js";
import type { Model, Property } from "./model.js";
import type { PropertyMonitor } from "./monitor.js";
import type { ExploreResult, PropertyResult } from "./result.js";

/** Turn a monitor's findings into property results; `pathOf` gives the choice names to a node. */
export function propertyResults<S>(
  properties: readonly Property<S>[],
  mon: PropertyMonitor<S>,
  pathOf: (node: number) => string[],
): PropertyResult[] {
  return properties.map((p, i) => {
    const node = mon.found[i];
    const names = node === undefined ? undefined : pathOf(node);
    const longest = p.kind === "persistence" ? { longest: mon.longest[i] as number } : {};
    if (p.kind === "sometimes") {
      return names
        ? { id: p.id, kind: p.kind, verdict: "holds", witness: names }
        : { id: p.id, kind: p.kind, verdict: "violated" };
    }
    return names
      ? { id: p.id, kind: p.kind, verdict: "violated", counterexample: names, ...longest }
      : { id: p.id, kind: p.kind, verdict: "holds", ...longest };
  });
}

/** The bound that stopped a run, as results report it. */
export function boundInfo(stop: BoundName | undefined, bounds: Bounds): Pick<ExploreResult, "bound"> {
  return stop
    ? { bound: { name: stop, value: bounds[stop], env: BOUND_INFO[stop].env, hint: BOUND_INFO[stop].hint } }
    : {};
}

export type { Model };
