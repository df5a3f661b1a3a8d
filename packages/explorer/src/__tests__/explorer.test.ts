import { describe, expect, it } from "vitest";
import { DEFAULT_BOUNDS } from "../bounds.js";
import { bothInside, type LockState, lockModel, mutualExclusion, someoneEnters } from "../examples/lock.js";
import type { Model, Property } from "../model.js";
import { enabled, initialCopy } from "../paths.js";
import { array, defineState, int } from "../schema.js";
import { explore } from "../search.js";
import { BREADTH_FIRST } from "../strategies/bfs.js";
import { DEPTH_FIRST } from "../strategies/dfs.js";
import { randomWalks } from "../strategies/random.js";
import { Divergence, replayPath } from "../strategies/replay.js";

const B = DEFAULT_BOUNDS;
const bfs = <S, A>(m: Model<S, A>, p: readonly Property<S>[], b = B) => explore(m, p, b, BREADTH_FIRST);

/** Reachable states and transitions by a naive closure over the working words, independent of the explorer. */
function closure<S, A>(m: Model<S, A>): [number, number] {
  const seen = new Set<string>();
  const todo: S[] = [initialCopy(m, 0)];
  let edges = 0;
  while (todo.length) {
    const s = todo.pop() as S;
    const k = m.words(s).join(",");
    if (seen.has(k)) continue;
    seen.add(k);
    for (const a of enabled(m, s)) {
      edges++;
      const t = m.create();
      m.words(t).set(m.words(s));
      m.next(t, a);
      todo.push(t);
    }
  }
  return [seen.size, edges];
}

describe("bfs on a two-process lock with a known race", () => {
  const r = bfs(lockModel(false), [mutualExclusion, bothInside, someoneEnters]);

  it("explores every state and says so (the count checked against a naive closure, then pinned)", () => {
    expect(r.complete).toBe(true);
    expect([r.states, r.transitions]).toEqual(closure(lockModel(false)));
    expect([r.states, r.transitions]).toEqual([18, 26]);
  });

  it("a state of at most four words is its own key: no fingerprint collision is possible", () => {
    expect(r.storage).toEqual({ mode: "exact-key", stateBytes: 8, collisionProbability: 0 });
  });

  it("finds the race with a shortest counterexample", () => {
    const p = r.properties.find((x) => x.id === "mutex")!;
    expect(p.verdict).toBe("violated");
    expect(p.counterexample).toEqual(["p0:acquire", "p1:acquire", "p0:write", "p1:write"]);
  });

  it("gives witnesses for reachable sometimes-guards", () => {
    expect(r.properties.find((x) => x.id === "someone-enters")).toMatchObject({
      verdict: "holds",
      witness: ["p0:acquire", "p0:write"],
    });
  });
});

describe("with an atomic lock", () => {
  const r = bfs(lockModel(true), [mutualExclusion, bothInside, someoneEnters]);

  it("mutual exclusion holds over the complete space", () => {
    expect(r.complete).toBe(true);
    expect([r.states, r.transitions]).toEqual(closure(lockModel(true)));
    expect(r.states).toBe(8);
    expect(r.properties.find((x) => x.id === "mutex")?.verdict).toBe("holds");
  });

  it("the sometimes-guard for the race window fails: the window is unreachable, so the pass above says nothing about it", () => {
    expect(r.properties.find((x) => x.id === "both-inside-window")?.verdict).toBe("violated");
  });
});

describe("other strategies", () => {
  it("dfs reaches the same states and verdicts, and a minimised counterexample of the same length", () => {
    const r = explore(lockModel(false), [mutualExclusion], B, DEPTH_FIRST);
    expect(r.complete).toBe(true);
    expect(r.states).toBe(18);
    expect(r.properties[0]?.counterexample).toHaveLength(4);
  });

  it("random walks are reproducible from their seed and never claim completeness", () => {
    const a = explore(lockModel(false), [mutualExclusion], B, randomWalks({ seed: 7, walks: 50 }));
    const b = explore(lockModel(false), [mutualExclusion], B, randomWalks({ seed: 7, walks: 50 }));
    expect(a).toEqual(b);
    expect(a.complete).toBe(false);
    expect(a.properties[0]?.verdict).toBe("violated");
    expect(a.properties[0]?.counterexample).toHaveLength(4);
    const c = explore(lockModel(false), [mutualExclusion], B, randomWalks({ seed: 8, walks: 50 }));
    expect(c.transitions).not.toBe(a.transitions);
  });

  it("replay follows named choices and stops at one that is not enabled", () => {
    const names = ["p0:acquire", "p1:acquire", "p0:write", "p1:write"];
    expect(replayPath(lockModel(false), [mutualExclusion], names).properties[0]?.verdict).toBe("violated");
    expect(() => replayPath(lockModel(true), [mutualExclusion], names)).toThrow(Divergence);
    expect(() => replayPath(lockModel(true), [mutualExclusion], ["p0:acquire", "p1:acquire"])).toThrow(
      "choice 2 'p1:acquire' is not enabled; enabled choices: p0:release",
    );
  });
});

describe("persistence", () => {
  // A counter that can stay odd for a while: condition "odd", progress on each +2 (which keeps the parity).
  const layout = defineState({ n: int(0, 7) });
  type C = ReturnType<typeof layout.create>;
  const init = layout.create();
  const m: Model<C, number> = {
    layout,
    create: (w) => (w ? layout.view(w) : layout.create()),
    words: (s) => layout.words(s),
    init: () => [init],
    actions: (s, out) => {
      if (s.n >= 6) return 0;
      out[0] = 1;
      out[1] = 2;
      return 2;
    },
    next: (s, d) => {
      s.n += d;
    },
    name: (_s, d) => `+${d}`,
  };
  const odd = (bound: number): Property<C> => ({
    id: "odd",
    kind: "persistence",
    condition: (s) => s.n % 2 === 1,
    progress: (a, b) => b.n - a.n === 2,
    bound,
  });

  it("holds when the condition always clears in time, and reports the longest run", () => {
    expect(bfs(m, [odd(3)]).properties[0]).toMatchObject({ verdict: "holds", longest: 3 });
  });

  it("is violated with a shortest path when it stays too long", () => {
    expect(bfs(m, [odd(2)]).properties[0]).toMatchObject({
      verdict: "violated",
      counterexample: ["+1", "+2", "+2", "+2"],
      longest: 3,
    });
  });

  it("the monitor's count is part of the explored state", () => {
    // n and the counter: (n, run) pairs, more than the 7 values of n alone.
    expect(bfs(m, [odd(3)]).states).toBeGreaterThan(7);
  });
});

describe("bounds", () => {
  it("a hit bound stops cleanly, names itself with its usual cause, and the run is not complete", () => {
    const r = bfs(lockModel(false), [mutualExclusion], { ...B, maxStates: 5 });
    expect(r.complete).toBe(false);
    expect(r.bound).toMatchObject({ name: "maxStates", value: 5 });
    expect(r.bound?.hint).toContain("state space is larger");
    const d = bfs(lockModel(false), [mutualExclusion], { ...B, maxDepth: 2 });
    expect(d.bound?.name).toBe("maxDepth");
    expect(d.complete).toBe(false);
  });
});

describe("storage modes", () => {
  // A state too big to be its own key: nine counters of 0..3, and three wide fields left at 0.
  const layout = defineState({ c: array(9, 0, 3), pad: array(3, 0, 0x7fffffff) });
  type S = ReturnType<typeof layout.create>;
  const init = layout.create();
  const m: Model<S, number> = {
    layout,
    create: (w) => (w ? layout.view(w) : layout.create()),
    words: (s) => layout.words(s),
    init: () => [init],
    actions: (s, out) => {
      let k = 0;
      for (let i = 0; i < 9; i++) if ((s.c[i] as number) < 3) out[k++] = i;
      return k;
    },
    next: (s, i) => {
      s.c[i] = (s.c[i] as number) + 1;
    },
    name: (_s, i) => `inc${i}`,
  };

  it("fingerprints give every one of the 4^9 states and estimate the chance of a collision, as TLC does", () => {
    expect(layout.width).toBe(6);
    const r = bfs(m, [], B);
    expect(r.states).toBe(4 ** 9);
    expect(r.storage.mode).toBe("fingerprint");
    expect(r.storage.collisionProbability).toBeGreaterThan(0);
    expect(r.storage.collisionProbability).toBeLessThan(1e-5);
  });

  it("exact mode keeps the packed states and finds the same count", () => {
    const r = explore(m, [], B, BREADTH_FIRST, { exact: true });
    expect(r.states).toBe(4 ** 9);
    expect(r.storage.mode).toBe("exact");
    expect(r.storage.collisionProbability).toBe(0);
  });
});

export type { LockState };
