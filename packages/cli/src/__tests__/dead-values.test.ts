import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { lastStats } from "../cache/rows.js";
import { main } from "../main.js";
import { capture } from "./capture.js";
import { run, scratch, useScratchRoots } from "./scratch-root.js";

useScratchRoots();

type Out = {
  run: { strategy: Record<string, unknown> };
  cells: { policy: string; profile: string; scenario: string; property: string; verdict: string; states: number }[];
};

/**
 * --keep-dead-values: last_nmi_rip stored in every state (the dead-value reduction off, the
 * explorer's README "Dead values"). The run says so in its JSON and its explorer line; the
 * verdicts are the default run's, from more states; and the cache keeps the two apart.
 */
describe("--keep-dead-values", () => {
  it("names itself in the run, gives the default run's verdicts from more states, and is cached apart", async () => {
    const root = scratch();
    const forgotten = JSON.parse((await run(root)).out) as Out;
    const kept = JSON.parse((await run(root, ["--keep-dead-values"])).out) as Out;
    expect(lastStats).toMatchObject({ hits: 0 });
    expect(forgotten.run.strategy).toEqual({ kind: "bfs" });
    expect(kept.run.strategy).toEqual({ kind: "bfs", keepDeadValues: true });
    const verdicts = (m: Out) =>
      m.cells.map((c) => `${c.policy} ${c.profile} ${c.scenario} ${c.property} ${c.verdict}`);
    expect(verdicts(kept)).toEqual(verdicts(forgotten));
    expect(kept.cells.some((c) => c.verdict === "violated")).toBe(true);
    const states = (m: Out) => m.cells.reduce((n, c) => n + c.states, 0);
    expect(states(kept)).toBeGreaterThan(states(forgotten));

    process.env.SWITCHLAB_ROOT = root;
    const io = capture();
    const code = await main(
      [
        "matrix",
        "--policy",
        "original",
        "--scenario",
        "throttle-window",
        "--kernel",
        "own",
        "--keep-dead-values",
        "--format",
        "markdown",
      ],
      io,
    );
    expect(code, io.e).toBe(0);
    expect(io.o).toContain("explorer: breadth-first (last_nmi_rip and the exit reason kept where dead), depth <= ");
  });
});
