import { describe, expect, it } from "vitest";
import { DEFAULT_BOUNDS } from "../bounds.js";
import { exploreMinimax } from "../minimax.js";
import type { Model, Property } from "../model.js";
import { defineState, int, type ViewOf } from "../schema.js";
import { explore } from "../search.js";
import { BREADTH_FIRST } from "../strategies/bfs.js";

/**
 * A walk on a 6 x 6 grid with a budget: step right costs nothing, step up is allowed only while
 * the budget covers the cells' "height price" (up from row y needs a budget of at least
 * price(x, y)), so the smallest budget that reaches a cell is a minimax over paths. The budget is
 * a model parameter, as an assumption is for switchlab.
 */
const SPEC = { x: int(0, 5), y: int(0, 5) };
const layout = defineState(SPEC);
type S = ViewOf<typeof SPEC>;
type A = 0 | 1;
const price = (x: number, y: number) => ((x * 7 + y * 3) % 5) + y;

function grid(budget: number): Model<S, A> {
  return {
    layout,
    create: (w) => (w ? layout.view(w) : layout.create()),
    words: (s) => layout.words(s),
    init: () => [layout.create()],
    actions: (s, out) => {
      let n = 0;
      if (s.x < 5) out[n++] = 0;
      if (s.y < 5 && price(s.x, s.y) <= budget) out[n++] = 1;
      return n;
    },
    next: (s, a) => {
      if (a === 0) s.x++;
      else s.y++;
    },
    name: (_s, a) => (a === 0 ? "right" : "up"),
  };
}

const reach = (x: number, y: number) =>
  ({
    id: `no-${x}-${y}`,
    kind: "always",
    holds: (s: S) => !(s.x === x && s.y === y),
  }) satisfies Property<S>;

describe("minimax exploration", () => {
  const props = [reach(5, 5), reach(2, 4), reach(0, 3), reach(4, 1)];
  const r = exploreMinimax(grid(20), props, DEFAULT_BOUNDS, (s, a) => (a === 1 ? price(s.x, s.y) : 0));

  it("gives, for every property, the smallest budget at which it is violated: what a bisection over budgets finds", () => {
    expect(r.complete).toBe(true);
    for (const p of props) {
      let least: number | undefined;
      for (let b = 0; b <= 20 && least === undefined; b++) {
        const v = explore(grid(b), [p], DEFAULT_BOUNDS, BREADTH_FIRST).properties[0]?.verdict;
        if (v === "violated") least = b;
      }
      expect(r.properties.find((x) => x.id === p.id)?.value).toBe(least);
    }
  });

  it("each path shows the violation at its value: it replays under that budget and needs no more", () => {
    for (const p of r.properties) {
      const budget = p.value as number;
      const m = grid(budget);
      const s = m.init()[0] as S;
      const acts: A[] = [];
      for (const name of p.path ?? []) {
        const n = m.actions(s, acts);
        const a = acts.slice(0, n).find((x) => m.name(s, x) === name);
        expect(a, `${p.id}: ${name} is enabled under budget ${budget}`).toBeDefined();
        m.next(s, a as A);
      }
      expect(props.find((x) => x.id === p.id)?.holds(s as never)).toBe(false);
    }
  });

  it("a bound that stops the run still settles every state needing less than where it stopped", () => {
    const cut = exploreMinimax(grid(20), props, { ...DEFAULT_BOUNDS, maxStates: 20 }, (s, a) =>
      a === 1 ? price(s.x, s.y) : 0,
    );
    expect(cut.complete).toBe(false);
    expect(cut.bound?.name).toBe("maxStates");
    for (const p of cut.properties)
      if (p.value !== undefined) expect(p.value).toBe(r.properties.find((x) => x.id === p.id)?.value);
      else expect(r.properties.find((x) => x.id === p.id)?.value ?? Infinity).toBeGreaterThan(cut.settledUpTo);
  });
});
