import type { Model } from "./model.js";

/** Replay action indices from an initial state and return the choice names (and the states). */
export function namePath<S, A>(
  model: Model<S, A>,
  root: number,
  actions: readonly number[],
): { names: string[]; states: S[] } {
  let s = model.init()[root] as S;
  const names: string[] = [];
  const states: S[] = [s];
  for (const i of actions) {
    const a = model.actions(s)[i] as A;
    names.push(model.name(s, a));
    s = model.next(s, a);
    states.push(s);
  }
  return { names, states };
}
