import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture, ROW } from "./capture.js";

describe("no green without evidence", () => {
  it("matrix --max-states 10: every cell unknown, none drawn ok, and --fail-on alone exits 1", async () => {
    const io = capture();
    expect(await main(["matrix", ...ROW, "--max-states", "10", "--quiet", "--details", "--fail-on"], io)).toBe(1);
    const row = io.o.split("\n").find((l) => l.startsWith("  original "));
    expect(row).toBeDefined();
    expect(row).not.toMatch(/\bok\b/);
    expect(row).toMatch(/UNK/);
    expect(io.o).toContain("not every state was explored: maxStates = 10 stopped the search");
    const json = capture();
    await main(["matrix", ...ROW, "--max-states", "10", "--quiet", "--format", "json"], json);
    const m = JSON.parse(json.o);
    expect(m.cells.every((c: { verdict: string }) => c.verdict !== "holds")).toBe(true);
    expect(m.rows[0].assumptions).toMatchObject({ kernel: "v5.11", pmiLatency: 512, pebsQuiescent: 64 });
  });

  it("--fail-on takes a comma list of verdicts; an unknown one is named", async () => {
    expect(await main(["matrix", ...ROW, "--max-states", "10", "--quiet", "--fail-on", "vacuous"], capture())).toBe(0);
    expect(
      await main(["matrix", ...ROW, "--max-states", "10", "--quiet", "--fail-on", "vacuous,unknown"], capture()),
    ).toBe(1);
    const io = capture();
    expect(await main(["matrix", ...ROW, "--quiet", "--fail-on", "maybe"], io)).toBe(2);
    expect(io.e).toMatch(/^switchlab: unknown --fail-on value 'maybe'; valid: violated, unknown, vacuous, error\n$/);
  });

  it("--pmi-latency unbounded runs and the assumption is printed with the result", async () => {
    const io = capture();
    expect(await main(["matrix", ...ROW, "--quiet", "--details", "--pmi-latency", "unbounded"], io)).toBe(0);
    expect(io.o).toContain("assumptions: kernel v5.11, PMI latency unbounded, PEBS quiescent 64 insns");
  });

  it("an assumption a field cannot hold is one usage line naming the option and the limit", async () => {
    const io = capture();
    expect(await main(["matrix", ...ROW, "--quiet", "--overflows", "99"], io)).toBe(2);
    expect(io.e).toMatch(/^switchlab: --overflows must be at most 31 \(the state's field for it\), got 99\n$/);
  });
});

describe("switchlab frontier", () => {
  it("finds where a pass breaks, with a counterexample that reproduces there and not one value below", async () => {
    const row = [
      "--policy",
      "post-exit-reload",
      "--profile",
      "skylake-server-no-isolation",
      "--scenario",
      "throttle-window",
    ];
    const io = capture();
    expect(await main(["frontier", ...row, "--dimension", "pebs-quiescent", "--quiet", "--format", "json"], io)).toBe(
      0,
    );
    const f = JSON.parse(io.o);
    expect(f.schema).toBe("switchlab.frontier/1");
    const cell = f.cells.find((c: { property: string }) => c.property === "no-guest-pf-on-host-ds");
    const edge = cell.edges[0];
    expect(cell.verdict).toBe("holds");
    expect(edge).toMatchObject({ dimension: "pebsQuiescent", direction: "up", from: 64, method: "minimax" });
    expect(edge.breaksAt).toBeGreaterThan(64);
    expect(edge.holdsUpTo).toBe(edge.breaksAt - 1);
    const args = edge.counterexample.reproduce.replace("pnpm switchlab ", "").split(" ");
    const at = capture();
    expect(await main([...args, "--fail-on", "violated"], at)).toBe(1);
    const below = args.map((a: string) => (a === String(edge.breaksAt) ? String(edge.breaksAt - 1) : a));
    expect(await main([...below, "--fail-on", "violated"], capture())).toBe(0);
  });

  it("text: the holds-up-to table per policy and where each pass breaks first", async () => {
    const io = capture();
    const row = [
      "--policy",
      "post-exit-reload",
      "--profile",
      "skylake-server-no-isolation",
      "--scenario",
      "throttle-window",
    ];
    expect(await main(["frontier", ...row, "--dimension", "pebs-quiescent,ticks", "--quiet"], io)).toBe(0);
    expect(io.o).toMatch(/holds up to/);
    expect(io.o).toMatch(/ {2}post-exit-reload +\d+ +\d+ \(ceiling\)/);
    expect(io.o).toContain("where each pass breaks first:");
  });

  it("a dimension or a ceiling it does not know is one usage line", async () => {
    const a = capture();
    expect(await main(["frontier", "--dimension", "speed"], a)).toBe(2);
    expect(a.e).toMatch(/^switchlab: unknown dimension 'speed'; valid dimensions: pmi-latency, /);
    const b = capture();
    expect(await main(["frontier", "--ceiling", "ticks"], b)).toBe(2);
    expect(b.e).toMatch(/^switchlab: --ceiling takes dimension=value pairs/);
  });
});

describe("the matrix's frontier row", () => {
  it("is shown once switchlab frontier has run on exactly these inputs, and not for other inputs", async () => {
    const row = ["--policy", "post-exit-reload", "--profile", "icelake-server", "--scenario", "vcpu-without-pmu"];
    expect(await main(["frontier", ...row, "--quiet"], capture())).toBe(0);
    const io = capture();
    expect(await main(["matrix", ...row, "--quiet"], io)).toBe(0);
    expect(io.o).toContain("frontier (from switchlab frontier's cache, same inputs and build;");
    expect(io.o).toMatch(/ {2}post-exit-reload +\d+/);
    const other = capture();
    expect(await main(["matrix", ...row, "--quiet", "--overflows", "1"], other)).toBe(0);
    expect(other.o).toContain("How far each pass holds: `pnpm switchlab matrix --frontier` computes it");
  });
});
