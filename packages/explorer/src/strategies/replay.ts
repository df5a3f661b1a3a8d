import type { Model, Property } from "../model.js";
import { PropertyMonitor } from "../monitor.js";
import { enabled, initialCopy } from "../paths.js";
import type { ExploreResult, PropertyResult } from "../result.js";

/** A named choice that is not enabled where the replay reached it. */
export class Divergence extends Error {
  constructor(
    readonly index: number,
    readonly choice: string,
    readonly enabled: readonly string[],
  ) {
    super(`choice ${index + 1} '${choice}' is not enabled; enabled choices: ${enabled.join(", ") || "(none)"}`);
  }
}

/** Follow a list of named choices from initial state `root`, checking the properties on the way. */
export function replayPath<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  names: readonly string[],
  root = 0,
): ExploreResult {
  const mon = new PropertyMonitor(properties);
  const s = initialCopy(model, root);
  const before = model.create();
  let counters = mon.initialCounters();
  mon.check(s, counters, 0);
  names.forEach((name, i) => {
    const acts = enabled(model, s);
    const a = acts.find((x) => model.name(s, x) === name);
    if (a === undefined)
      throw new Divergence(
        i,
        name,
        acts.map((x) => model.name(s, x)),
      );
    model.words(before).set(model.words(s));
    model.next(s, a);
    counters = mon.hasCounters ? mon.step(counters, before, s) : counters;
    mon.check(s, counters, i + 1);
  });
  const results: PropertyResult[] = properties.map((p, i) => {
    const n = mon.found[i];
    const path = n === undefined ? undefined : names.slice(0, n);
    if (p.kind === "sometimes")
      return path
        ? { id: p.id, kind: p.kind, verdict: "holds", witness: path }
        : { id: p.id, kind: p.kind, verdict: "violated" };
    return path
      ? { id: p.id, kind: p.kind, verdict: "violated", counterexample: path }
      : { id: p.id, kind: p.kind, verdict: "holds" };
  });
  return {
    strategy: "replay",
    complete: false,
    states: names.length + 1,
    transitions: names.length,
    maxDepth: names.length,
    properties: results,
    storage: { mode: "exact", stateBytes: model.layout.width * 4, collisionProbability: 0 },
    indexBytes: 0,
  };
}
