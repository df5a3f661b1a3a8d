import { describe, expect, it } from "vitest";
import { DEFAULT_BOUNDS } from "../bounds.js";
import { bothInside, lockModel, mutualExclusion, someoneEnters } from "../examples/lock.js";
import { consistent, twoPhase } from "../examples/two-phase.js";
import type { Model, Property } from "../model.js";
import type { ExploreResult } from "../result.js";
import { defineState, int } from "../schema.js";
import { explore } from "../search.js";
import { BREADTH_FIRST } from "../strategies/bfs.js";
import { mulberry32 } from "../strategies/random.js";

/** What compression must not change: per property the verdict, the path's length, the longest run; and completeness. */
function answers(r: ExploreResult): string[] {
  return [
    `complete ${r.complete} ${r.bound?.name ?? ""}`,
    ...r.properties.map(
      (p) =>
        `${p.id} ${p.verdict} ${(("counterexample" in p && p.counterexample) || ("witness" in p && p.witness) || []).length} ${"longest" in p ? p.longest : ""}`,
    ),
  ];
}

interface G {
  at: number;
  ticks: number;
}

/**
 * A random graph over 40 nodes (seeded): each node has 0 to 3 successors, most of them one, so
 * chains, diamonds into chains, cycles through chains and self-loops all occur; a tick counter
 * makes a persistence property. Properties: a node is never reached, some node is reached, a
 * condition does not hold over more than 2 ticks.
 */
function randomGraph(seed: number): { model: Model<G, number>; props: Property<G>[]; succ: number[][] } {
  const rnd = mulberry32(seed);
  const N = 40;
  const succ: number[][] = [];
  for (let i = 0; i < N; i++) {
    const r = rnd();
    const k = r < 0.08 ? 0 : r < 0.75 ? 1 : r < 0.92 ? 2 : 3;
    succ.push(Array.from({ length: k }, () => (rnd() < 0.15 ? i : Math.floor(rnd() * N))));
  }
  const layout = defineState({ at: int(0, N - 1), ticks: int(0, 3) });
  const init = layout.create() as unknown as G;
  const model: Model<G, number> = {
    layout,
    create: (w) => (w ? layout.view(w) : layout.create()) as unknown as G,
    words: (s) => layout.words(s as never),
    init: () => [init],
    actions(s, out) {
      const n = succ[s.at] as number[];
      for (let j = 0; j < n.length; j++) out[j] = j;
      return n.length;
    },
    next(s, a) {
      const to = (succ[s.at] as number[])[a] as number;
      if (to % 5 === 0) s.ticks = Math.min(3, s.ticks + 1);
      s.at = to;
    },
    name: (s, a) => `${s.at}->${(succ[s.at] as number[])[a]}`,
  };
  const bad = 1 + Math.floor(rnd() * (N - 1));
  const props: Property<G>[] = [
    { id: "never", kind: "always", holds: (s) => s.at !== bad },
    { id: "some", kind: "sometimes", holds: (s) => s.at === (bad * 7) % N },
    {
      id: "persist",
      kind: "persistence",
      condition: (s) => s.at % 2 === 0,
      progress: (a, b) => b.ticks > a.ticks,
      bound: 1,
    },
  ];
  return { model, props, succ };
}

describe("compressed chains (breadth-first search, `chains`)", () => {
  it("give plain BFS's verdicts, path lengths and longest runs on 300 random graphs, from no more states", () => {
    let fewer = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { model, props } = randomGraph(seed);
      for (const maxDepth of [400, 12]) {
        const b = { ...DEFAULT_BOUNDS, maxDepth };
        const plain = explore(model, props, b, BREADTH_FIRST);
        const comp = explore(model, props, b, BREADTH_FIRST, { chains: true });
        if (maxDepth === 400 || plain.complete === comp.complete)
          expect([seed, maxDepth, ...answers(comp)]).toEqual([seed, maxDepth, ...answers(plain)]);
        // At a small depth bound compression may report the bound where plain search completes, never the reverse.
        else expect(plain.complete).toBe(true);
        expect(comp.states).toBeLessThanOrEqual(plain.states);
        if (comp.states < plain.states) fewer++;
      }
    }
    expect(fewer).toBeGreaterThan(100);
  });

  it("a counterexample found inside a chain replays through the chain to the violating state", () => {
    // 0 -> 1 | 2; 1 -> 3 -> 4 -> 5 (one choice each); 5 is bad: the path is 0->1, 1->3, 3->4, 4->5.
    const succ = [[1, 2], [3], [2], [4], [5], [5]];
    const layout = defineState({ at: int(0, 5) });
    const m: Model<{ at: number }, number> = {
      layout,
      create: (w) => (w ? layout.view(w) : layout.create()),
      words: (s) => layout.words(s as never),
      init: () => [layout.create()],
      actions(s, out) {
        const n = succ[s.at] as number[];
        for (let j = 0; j < n.length; j++) out[j] = j;
        return n.length;
      },
      next(s, a) {
        s.at = (succ[s.at] as number[])[a] as number;
      },
      name: (s, a) => `${s.at}->${(succ[s.at] as number[])[a]}`,
    };
    const p: Property<{ at: number }> = { id: "no-4", kind: "always", holds: (s) => s.at !== 4 };
    const r = explore(m, [p], DEFAULT_BOUNDS, BREADTH_FIRST, { chains: true });
    expect(r.properties[0]).toMatchObject({ verdict: "violated", counterexample: ["0->1", "1->3", "3->4"] });
    // Stored: 0 (two choices), 2 (its one choice leads to itself) and 5 (the same); 1, 3, 4 stepped through.
    expect(r.states).toBe(3);
    expect(explore(m, [p], DEFAULT_BOUNDS, BREADTH_FIRST).states).toBe(6);
  });

  it("the lock and TwoPhase commit: the same answers", () => {
    const lp = [mutualExclusion, bothInside, someoneEnters];
    expect(answers(explore(lockModel(false), lp, DEFAULT_BOUNDS, BREADTH_FIRST, { chains: true }))).toEqual(
      answers(explore(lockModel(false), lp, DEFAULT_BOUNDS, BREADTH_FIRST)),
    );
    const a = explore(twoPhase(3), [consistent], DEFAULT_BOUNDS, BREADTH_FIRST, { chains: true });
    expect(answers(a)).toEqual(answers(explore(twoPhase(3), [consistent], DEFAULT_BOUNDS, BREADTH_FIRST)));
  });
});
