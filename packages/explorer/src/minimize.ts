import type { Model, Property } from "./model.js";
import { PropertyMonitor } from "./monitor.js";
import { enabled, initialCopy } from "./paths.js";

/**
 * Follow named choices from an initial state. Returns the index of the first state at which the
 * property shows (violated, or witnessed for `sometimes`), or -1 if it does not show or a
 * choice is not enabled.
 */
export function showsAt<S, A>(
  model: Model<S, A>,
  property: Property<S>,
  root: number,
  names: readonly string[],
): number {
  const mon = new PropertyMonitor([property]);
  const s = initialCopy(model, root);
  const before = model.create();
  let counters = mon.initialCounters();
  mon.check(s, counters, 0);
  if (mon.found[0] !== undefined) return 0;
  for (let i = 0; i < names.length; i++) {
    const a = enabled(model, s).find((x) => model.name(s, x) === names[i]);
    if (a === undefined) return -1;
    model.words(before).set(model.words(s));
    model.next(s, a);
    counters = mon.hasCounters ? mon.step(counters, before, s) : counters;
    mon.check(s, counters, i + 1);
    if (mon.found[0] !== undefined) return i + 1;
  }
  return -1;
}

/**
 * Shrink a path that shows a property: cut it after the first state that shows it, then delete
 * single choices while what is left still replays and still shows it (choices are names, so a
 * deletion keeps the rest meaningful). Deterministic; used for paths found by DFS or random walks.
 */
export function minimize<S, A>(
  model: Model<S, A>,
  property: Property<S>,
  root: number,
  names: readonly string[],
): string[] {
  const first = showsAt(model, property, root, names);
  let cur = first < 0 ? [...names] : names.slice(0, first);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = cur.length - 1; i >= 0; i--) {
      const cand = [...cur.slice(0, i), ...cur.slice(i + 1)];
      const at = showsAt(model, property, root, cand);
      if (at >= 0) {
        cur = cand.slice(0, at);
        changed = true;
        break;
      }
    }
  }
  return cur;
}
