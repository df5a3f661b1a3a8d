import { propertyResults } from "../finish.js";
import type { Model, Property } from "../model.js";
import { PropertyMonitor } from "../monitor.js";
import type { ExploreResult } from "../result.js";

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
  let s = model.init()[root] as S;
  let counters = mon.initialCounters();
  mon.check(s, counters, 0);
  names.forEach((name, i) => {
    const acts = model.actions(s);
    const a = acts.find((x) => model.name(s, x) === name);
    if (a === undefined)
      throw new Divergence(
        i,
        name,
        acts.map((x) => model.name(s, x)),
      );
    const t = model.next(s, a);
    counters = mon.hasCounters ? mon.step(counters, s, t) : counters;
    s = t;
    mon.check(s, counters, i + 1);
  });
  return {
    strategy: "replay",
    complete: false,
    states: names.length + 1,
    transitions: names.length,
    maxDepth: names.length,
    properties: propertyResults(properties, mon, (n) => names.slice(0, n)),
    indexBytes: 0,
  };
}
