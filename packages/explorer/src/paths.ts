import type { Model } from "./model.js";

/** A fresh working copy of initial state `root`. */
export function initialCopy<S, A>(model: Model<S, A>, root: number): S {
  const s = model.create();
  const init = model.init()[root];
  if (init === undefined) throw new RangeError(`no initial state ${root}`);
  model.words(s).set(model.words(init));
  return s;
}

/** The actions enabled in a state, as a new array. */
export function enabled<S, A>(model: Model<S, A>, s: S): A[] {
  const out: A[] = [];
  out.length = model.actions(s, out);
  return out;
}

/** Replay action indices from an initial state and return the choice names. */
export function namePath<S, A>(model: Model<S, A>, root: number, actions: readonly number[]): string[] {
  const s = initialCopy(model, root);
  const names: string[] = [];
  for (const i of actions) {
    const a = enabled(model, s)[i] as A;
    names.push(model.name(s, a));
    model.next(s, a);
  }
  return names;
}
