import type { Model, Property } from "../model.js";

/**
 * Two processes and a lock, the textbook race: with `atomic: false` acquiring is a read then a
 * separate write, so both can read "free" and both enter the critical section.
 * pc: 0 idle, 1 read the lock as free, 2 in the critical section, 3 done (released).
 */
export interface LockState {
  readonly pc: readonly [number, number];
  readonly lock: number;
}

type Act = { p: 0 | 1 };

export function lockModel(atomic: boolean): Model<LockState, Act> {
  return {
    init: () => [{ pc: [0, 0], lock: 0 }],
    actions: (s) =>
      ([0, 1] as const)
        .filter((p) => s.pc[p] < 3 && !(s.pc[p] === 0 && s.lock === 1 && atomic) && !(s.pc[p] === 1 && atomic))
        .map((p) => ({ p })),
    next: (s, { p }) => {
      const pc = [...s.pc] as [number, number];
      let lock = s.lock;
      if (pc[p] === 0) {
        if (lock === 1) return s; // spin: no change
        if (atomic) {
          lock = 1;
          pc[p] = 2;
        } else pc[p] = 1;
      } else if (pc[p] === 1) {
        lock = 1;
        pc[p] = 2;
      } else if (pc[p] === 2) {
        lock = 0;
        pc[p] = 3;
      }
      return { pc, lock };
    },
    fingerprint: (s) => s.pc[0] * 16 + s.pc[1] * 2 + s.lock,
    name: (s, { p }) => `p${p}:${["acquire", "write", "release"][s.pc[p]] ?? "?"}`,
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
