import { existsSync, readFileSync } from "node:fs";
import { fromJsonForm, type MatrixResult, type Strategy } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import { ARTIFACT_CHAINS, ARTIFACT_KEEP_DEAD, artifact, REPO } from "./artifact.js";

/**
 * Every reduction of the explorer gives the default matrix's answers from fewer states. The
 * matrix as `switchlab matrix` computes it against the same matrix with `--chains` (chains
 * compressed), and the matrix with `--keep-dead-values` (last_nmi_rip and the exit reason stored in every state)
 * against the default one, which forgets it where nothing reads it (scripts/test-matrix.mjs).
 * Per cell: the verdict, whether the exploration completed, the length of the shortest
 * counterexample and of the longest persistence run; per guard: reached, and the length of the
 * shortest witness. The explorer's README ("Compressed chains", "Dead values") says why.
 */
function read(file: string): MatrixResult {
  if (!existsSync(file)) throw new Error(`no matrix artifact at ${file}: run the matrix tier with 'pnpm test:matrix'`);
  return fromJsonForm(JSON.parse(readFileSync(file, "utf8")));
}

const rowStates = (m: MatrixResult) => {
  const out = new Map<string, number>();
  for (const c of m.cells) out.set(`${c.policy} ${c.profile} ${c.scenario}`, c.states);
  return out;
};
const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);

function sameAnswers(
  what: string,
  load: () => { reduced: MatrixResult; full: MatrixResult },
  strategies: { reduced: Strategy; full: Strategy },
) {
  describe(what, () => {
    const { reduced, full } = load();

    it("the two runs are of the same rows, with the strategies named", () => {
      expect(reduced.run.strategy).toEqual(strategies.reduced);
      expect(full.run.strategy).toEqual(strategies.full);
      expect(reduced.cells.length).toBe(full.cells.length);
      expect(reduced.cells.length).toBeGreaterThan(1000);
    });

    it("every cell: the same verdict, completeness, counterexample length and longest run", () => {
      const answer = (c: MatrixResult["cells"][number]) =>
        [c.verdict, c.complete, c.counterexample?.actions.length ?? "-", c.longest ?? "-", c.bound?.name ?? "-"].join(
          " ",
        );
      const key = (c: MatrixResult["cells"][number]) => `${c.policy} ${c.profile} ${c.scenario} ${c.property}`;
      const want = new Map(full.cells.map((c) => [key(c), answer(c)]));
      const differ = reduced.cells
        .filter((c) => want.get(key(c)) !== answer(c))
        .map((c) => `${key(c)}: ${answer(c)} (full: ${want.get(key(c))})`);
      expect(differ).toEqual([]);
      // Not a vacuous comparison: the matrix has counterexamples to compare.
      expect(reduced.cells.filter((c) => c.counterexample).length).toBeGreaterThan(100);
    });

    it("every guard: reached alike, with a shortest witness of the same length", () => {
      const answer = (g: MatrixResult["guards"][number]) => `${g.reached} ${g.witness?.length ?? "-"}`;
      const key = (g: MatrixResult["guards"][number]) => `${g.policy} ${g.profile} ${g.scenario} ${g.guard}`;
      const want = new Map(full.guards.map((g) => [key(g), answer(g)]));
      expect(reduced.guards.length).toBe(full.guards.length);
      const differ = reduced.guards
        .filter((g) => want.get(key(g)) !== answer(g))
        .map((g) => `${key(g)}: ${answer(g)} (full: ${want.get(key(g))})`);
      expect(differ).toEqual([]);
    });

    it("never more states on a row, and fewer in all", () => {
      const a = rowStates(reduced);
      const b = rowStates(full);
      const more = [...a].filter(([k, n]) => n > (b.get(k) ?? 0)).map(([k]) => k);
      expect(more).toEqual([]);
      expect(sum(a)).toBeLessThan(sum(b));
    });
  });
}

sameAnswers(
  "compressed chains change no answer of the default matrix",
  () => ({ reduced: read(ARTIFACT_CHAINS), full: artifact().m }),
  { reduced: { kind: "bfs", chains: true }, full: { kind: "bfs" } },
);

sameAnswers(
  "forgetting dead values changes no answer of the default matrix",
  () => ({ reduced: artifact().m, full: read(ARTIFACT_KEEP_DEAD) }),
  { reduced: { kind: "bfs" }, full: { kind: "bfs", keepDeadValues: true } },
);

describe("the explorer README's figures for dead values are these artifacts'", () => {
  const readme = readFileSync(`${REPO}packages/explorer/README.md`, "utf8").replace(/\s+/g, " ");
  const M = (n: number) => `${(n / 1e6).toFixed(2)} M`;
  const n = (x: number) => x.toLocaleString("en-US");

  it("states in all rows, with and without, and with compressed chains", () => {
    const kept = sum(rowStates(read(ARTIFACT_KEEP_DEAD)));
    const forgotten = sum(rowStates(artifact().m));
    const chains = sum(rowStates(read(ARTIFACT_CHAINS)));
    expect(readme).toContain(`matrix stores ${M(forgotten)} states in all its rows instead of ${M(kept)}`);
    expect(readme).toContain(`with dead values forgotten, below, ${M(chains)} against ${M(forgotten)}.`);
  });

  it("the mediated-host-sampling row it names", () => {
    const row = "original icelake-server mediated-host-sampling";
    const kept = rowStates(read(ARTIFACT_KEEP_DEAD)).get(row)!;
    const forgotten = rowStates(artifact().m).get(row)!;
    expect(readme).toContain(`it is ${n(kept)} states against ${n(forgotten)} with them forgotten where dead`);
  });
});
