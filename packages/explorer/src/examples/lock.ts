import type { Model, Property } from "../model.js";
import { array, defineState, flag, type ViewOf } from "../schema.js";

/**
 * Two processes and a lock, the textbook race: with `atomic: false` acquiring is a read then a
 * separate write, so both can read "free" and both enter the critical section.
 * pc: 0 idle, 1 read the lock as free, 2 in the critical section, 3 done (released).
 */
export const LOCK_SPEC = { pc: array(2, 0, 3), lock: flag() };
export type LockState = ViewOf<typeof LOCK_SPEC>;

const layout = defineState(LOCK_SPEC);

export function lockModel(atomic: boolean): Model<LockState, number> {
  const init = layout.create();
  return {
    layout,
    create: (w) => (w ? layout.view(w) : layout.create()),
    words: (s) => layout.words(s),
    init: () => [init],
    actions(s, out) {
      let k = 0;
      for (const p of [0, 1]) {
        const pc = s.pc[p] as number;
        if (pc === 3 || (atomic && pc === 0 && s.lock === 1) || (atomic && pc === 1)) continue;
        out[k++] = p;
      }
      return k;
    },
    next(s, p) {
      const pc = s.pc[p] as number;
      if (pc === 0) {
        if (s.lock === 1) return; // spin: no change
        if (atomic) {
          s.lock = 1;
          s.pc[p] = 2;
        } else s.pc[p] = 1;
      } else if (pc === 1) {
        s.lock = 1;
        s.pc[p] = 2;
      } else if (pc === 2) {
        s.lock = 0;
        s.pc[p] = 3;
      }
    },
    name: (s, p) => `p${p}:${["acquire", "write", "release"][s.pc[p] as number] ?? "?"}`,
  };
}

export const mutualExclusion: Property<LockState> = {
  id: "mutex",
  kind: "always",
  holds: (s) => !(s.pc[0] === 2 && s.pc[1] === 2),
};
export const bothInside: Property<LockState> = {
  id: "both-inside-window",
  kind: "sometimes",
  holds: (s) => s.pc[0] === 2 && s.pc[1] === 2,
};
export const someoneEnters: Property<LockState> = {
  id: "someone-enters",
  kind: "sometimes",
  holds: (s) => s.pc.includes(2),
};
