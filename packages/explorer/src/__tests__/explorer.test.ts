import { describe, expect, it } from "vitest";
import { BoundError, DEFAULT_BOUNDS, resolveBounds } from "../bounds.js";
import { FingerprintSet } from "../fingerprint-set.js";
import type { Property } from "../model.js";
import { bfs } from "../strategies/bfs.js";
import { dfs } from "../strategies/dfs.js";
import { randomWalks } from "../strategies/random.js";
import { Divergence, replayPath } from "../strategies/replay.js";
import { bothInside, type LockState, lockModel, mutualExclusion, someoneEnters } from "./lock-model.js";

const B = DEFAULT_BOUNDS;

/** Reachable states by a naive closure over JSON keys, independent of the explorer. */
function closure(m: ReturnType<typeof lockModel>): [number, number] {
  const seen = new Set<string>();
  const todo = [...m.init()];
  let edges = 0;
  while (todo.length) {
    const s = todo.pop() as LockState;
    const k = JSON.stringify(s);
    if (seen.has(k)) continue;
    seen.add(k);
    for (const a of m.actions(s)) {
      edges++;
      todo.push(m.next(s, a));
    }
  }
  return [seen.size, edges];
}

describe("bfs on a two-process lock with a known race", () => {
  const r = bfs(lockModel(false), [mutualExclusion, bothInside, someoneEnters], B);

  it("explores every state and says so (the count checked against a naive closure, then pinned)", () => {
    expect(r.complete).toBe(true);
    expect([r.states, r.transitions]).toEqual(closure(lockModel(false)));
    expect([r.states, r.transitions]).toEqual([18, 26]);
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
  const r = bfs(lockModel(true), [mutualExclusion, bothInside, someoneEnters], B);

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
  it("dfs reaches the same verdicts and a minimised counterexample of the same length", () => {
    const r = dfs(lockModel(false), [mutualExclusion], B);
    expect(r.complete).toBe(true);
    expect(r.properties[0]?.counterexample).toHaveLength(4);
  });

  it("random walks are reproducible from their seed and never claim completeness", () => {
    const a = randomWalks(lockModel(false), [mutualExclusion], B, { seed: 7, walks: 50 });
    const b = randomWalks(lockModel(false), [mutualExclusion], B, { seed: 7, walks: 50 });
    expect(a).toEqual(b);
    expect(a.complete).toBe(false);
    expect(a.properties[0]?.verdict).toBe("violated");
    expect(a.properties[0]?.counterexample).toHaveLength(4);
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
  type C = { n: number };
  const m = {
    init: () => [{ n: 0 }],
    actions: (s: C) => (s.n < 6 ? [1, 2] : []),
    next: (s: C, d: number) => ({ n: s.n + d }),
    fingerprint: (s: C) => s.n,
    name: (_s: C, d: number) => `+${d}`,
  };
  const odd = (bound: number): Property<C> => ({
    id: "odd",
    kind: "persistence",
    condition: (s) => s.n % 2 === 1,
    progress: (a, b) => b.n - a.n === 2,
    bound,
  });

  it("holds when the condition always clears in time, and reports the longest run", () => {
    const r = bfs(m, [odd(3)], B);
    expect(r.properties[0]).toMatchObject({ verdict: "holds", longest: 3 });
  });

  it("is violated with a shortest path when it stays too long", () => {
    const r = bfs(m, [odd(2)], B);
    expect(r.properties[0]).toMatchObject({
      verdict: "violated",
      counterexample: ["+1", "+2", "+2", "+2"],
      longest: 3,
    });
  });
});

describe("bounds", () => {
  it("a hit bound stops cleanly, names itself, and the run is not complete", () => {
    const r = bfs(lockModel(false), [mutualExclusion], { ...B, maxStates: 5 });
    expect(r.complete).toBe(false);
    expect(r.bound).toMatchObject({ name: "maxStates", value: 5, env: "SWITCHLAB_MAX_STATES" });
    const d = bfs(lockModel(false), [mutualExclusion], { ...B, maxDepth: 2 });
    expect(d.bound?.name).toBe("maxDepth");
  });

  it("reads environment overrides and refuses non-numeric ones", () => {
    expect(resolveBounds({}, { SWITCHLAB_MAX_DEPTH: "12" }).maxDepth).toBe(12);
    expect(() => resolveBounds({}, { SWITCHLAB_MAX_STATES: "lots" })).toThrow(BoundError);
    expect(() => resolveBounds({}, { SWITCHLAB_MAX_STATES: "lots" })).toThrow(
      "SWITCHLAB_MAX_STATES must be a non-negative integer, got 'lots'",
    );
  });
});

describe("fingerprint set", () => {
  it("keeps 53-bit fingerprints apart and grows", () => {
    const s = new FingerprintSet(4);
    for (let i = 0; i < 1000; i++) expect(s.add(i * 0x100000001 + 7, i)).toBe(-1);
    expect(s.add(7, 5)).toBe(0);
    expect(s.size).toBe(1000);
    expect(s.has(2 ** 52 + 1)).toBe(false);
  });
});
