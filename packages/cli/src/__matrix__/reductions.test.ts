import { existsSync, readFileSync } from "node:fs";
import { fromJsonForm, type MatrixResult } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import { ARTIFACT_CHAINS, artifact } from "./artifact.js";

/**
 * Every reduction of the explorer gives the default matrix's answers from fewer states: the
 * matrix as `switchlab matrix` computes it (every state stored) against the same matrix with
 * `--chains` (chains compressed; each row explored once per class of equivalent profiles)
 * (scripts/test-matrix.mjs). Per cell: the verdict, whether the exploration completed, the
 * length of the shortest counterexample and of the longest persistence run; per guard: reached,
 * and the length of the shortest witness. The explorer's README ("Compressed chains") says why.
 */
describe("compressed chains change no answer of the default matrix", () => {
  const plain = artifact().m;
  if (!existsSync(ARTIFACT_CHAINS))
    throw new Error(`no matrix artifact at ${ARTIFACT_CHAINS}: run the matrix tier with 'pnpm test:matrix'`);
  const reduced: MatrixResult = fromJsonForm(JSON.parse(readFileSync(ARTIFACT_CHAINS, "utf8")));

  it("the two runs are of the same rows, the default one without compression", () => {
    expect(plain.run.strategy).toEqual({ kind: "bfs" });
    expect(reduced.run.strategy).toEqual({ kind: "bfs", chains: true });
    expect(reduced.cells.length).toBe(plain.cells.length);
    expect(reduced.cells.length).toBeGreaterThan(1000);
  });

  it("every cell: the same verdict, completeness, counterexample length and longest run", () => {
    const answer = (c: MatrixResult["cells"][number]) =>
      [c.verdict, c.complete, c.counterexample?.actions.length ?? "-", c.longest ?? "-", c.bound?.name ?? "-"].join(
        " ",
      );
    const key = (c: MatrixResult["cells"][number]) => `${c.policy} ${c.profile} ${c.scenario} ${c.property}`;
    const want = new Map(plain.cells.map((c) => [key(c), answer(c)]));
    const differ = reduced.cells
      .filter((c) => want.get(key(c)) !== answer(c))
      .map((c) => `${key(c)}: ${answer(c)} (plain: ${want.get(key(c))})`);
    expect(differ).toEqual([]);
    // Not a vacuous comparison: the matrix has counterexamples to compare.
    expect(reduced.cells.filter((c) => c.counterexample).length).toBeGreaterThan(100);
  });

  it("every guard: reached alike, with a shortest witness of the same length", () => {
    const answer = (g: MatrixResult["guards"][number]) => `${g.reached} ${g.witness?.length ?? "-"}`;
    const key = (g: MatrixResult["guards"][number]) => `${g.policy} ${g.profile} ${g.scenario} ${g.guard}`;
    const want = new Map(plain.guards.map((g) => [key(g), answer(g)]));
    expect(reduced.guards.length).toBe(plain.guards.length);
    const differ = reduced.guards
      .filter((g) => want.get(key(g)) !== answer(g))
      .map((g) => `${key(g)}: ${answer(g)} (plain: ${want.get(key(g))})`);
    expect(differ).toEqual([]);
  });

  it("stores fewer states on every row that has a choice to compress, and never more", () => {
    const rowStates = (m: MatrixResult) => {
      const out = new Map<string, number>();
      for (const c of m.cells) out.set(`${c.policy} ${c.profile} ${c.scenario}`, c.states);
      return out;
    };
    const a = rowStates(reduced);
    const b = rowStates(plain);
    const more = [...a].filter(([k, n]) => n > (b.get(k) ?? 0)).map(([k]) => k);
    expect(more).toEqual([]);
    const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    expect(sum(a)).toBeLessThan(sum(b));
  });
});
