import "reflect-metadata";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROPERTIES } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture, ROW } from "./capture.js";

describe("switchlab check", () => {
  it("round trip: fail on purpose, parse the printed line, run it, save, replay: the same trace", async () => {
    const io = capture();
    expect(await main(["check", ...ROW, "--property", "stale-bit-bounded"], io)).toBe(0);
    const line = io.o.split("\n").find((l) => l.startsWith("reproduce: "))!;
    expect(line).toBe(
      "reproduce: pnpm switchlab check --policy original --profile skylake-server-no-isolation --scenario throttle-window --property stale-bit-bounded",
    );
    const args = line.replace("reproduce: pnpm switchlab ", "").split(" ");
    const again = capture();
    expect(await main(args, again)).toBe(0);
    expect(again.o).toBe(io.o);

    const file = join(mkdtempSync(join(tmpdir(), "switchlab-check-")), "cex.json");
    const saved = capture();
    expect(await main([...args, "--save", file], saved)).toBe(0);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    expect(doc.schema).toBe("switchlab.replay/1");
    // The saved file records the symptoms the run ends with: a replay fails once they are gone.
    expect(doc.expect.symptoms).toContain("stale-pebs-enable");
    const rep = capture();
    expect(await main(["replay", file], rep)).toBe(0);
    const trace = io.o.slice(io.o.indexOf("\n   1  "));
    expect(rep.o).toContain(trace.trim().split("\nsymptoms:")[0]!);
    writeFileSync(file, JSON.stringify({ ...doc, expect: { symptoms: ["guest-pf-on-host-ds"] } }));
    expect(await main(["replay", file], capture())).toBe(1);
  });

  it("--fail-on violated exits 1 when a property is violated", async () => {
    expect(await main(["check", ...ROW, "--property", "stale-bit-bounded", "--fail-on", "violated"], capture())).toBe(
      1,
    );
    expect(
      await main(["check", ...ROW, "--property", "no-guest-pf-on-host-ds", "--fail-on", "violated"], capture()),
    ).toBe(0);
  });

  it("usage errors: unknown ids list the valid ones; non-numeric bounds are named; exit 2", async () => {
    const io = capture();
    expect(await main(["check", "--policy", "nope", "--profile", "x", "--scenario", "y"], io)).toBe(2);
    expect(io.e).toMatch(/^switchlab: unknown policy 'nope'; valid policies: .*\boriginal\b.*\n$/);
    const io2 = capture();
    expect(await main(["check", ...ROW, "--max-depth", "deep"], io2)).toBe(2);
    expect(io2.e).toContain("--max-depth must be a non-negative integer, got 'deep'");
  });

  it("says when a bound stopped the exploration", async () => {
    const io = capture();
    expect(await main(["check", ...ROW, "--max-depth", "5"], io)).toBe(0);
    expect(io.o).toContain("NOT complete");
    expect(io.o).toContain("unknown (not every state was explored: maxDepth = 5 stopped the search");
    expect(io.o).toContain("raise it with --max-depth or SWITCHLAB_MAX_DEPTH");
    expect(io.o).not.toMatch(/ holds\b/);
  });
});

describe("switchlab matrix and list", () => {
  it("prints the table on stdout and progress on stderr; JSON follows the contract", async () => {
    const io = capture();
    expect(
      await main(
        [
          "matrix",
          "--policy",
          "original",
          "--profile",
          "icelake-server",
          "--kernel",
          "own",
          "--scenario",
          "throttle-window,no-host-pebs",
          "--details",
          // Both rows explored, whatever the cache holds: rows it answers get no progress line.
          "--no-cache",
        ],
        io,
      ),
    ).toBe(0);
    expect(io.o).toContain(
      `switchlab matrix: 1 policies x 1 profiles x 2 scenarios x ${PROPERTIES.length} properties (${2 * PROPERTIES.length} cells, 2 explorations)`,
    );
    // One progress line per explored row, numbered in the order rows finish (workers run them in parallel).
    expect(io.e).toMatch(/^\[[12]\/2\] original icelake-server no-host-pebs: \d+ states, 0 violated$/m);
    expect(io.e).toMatch(/^\[[12]\/2\] original icelake-server throttle-window: \d+ states, 0 violated$/m);
    const js = capture();
    expect(
      await main(
        [
          "matrix",
          "--policy",
          "original",
          "--profile",
          "icelake-server",
          "--scenario",
          "no-host-pebs",
          "--format",
          "json",
          "--quiet",
        ],
        js,
      ),
    ).toBe(0);
    const m = JSON.parse(js.o);
    expect(m.schema).toBe("switchlab.matrix/3");
    for (const k of ["policy", "profile", "scenario", "property", "verdict", "states", "transitions", "complete"])
      expect(m.cells[0]).toHaveProperty(k);
    expect(js.e).toBe("");
  });

  it("an unknown scenario is a usage error listing the valid ones", async () => {
    const io = capture();
    expect(await main(["matrix", "--scenario", "throttle-windw"], io)).toBe(2);
    expect(io.e).toContain(
      "unknown scenario 'throttle-windw'; valid scenarios: throttle-window, handoff-guest-counter",
    );
  });

  it("list prints every id", async () => {
    const io = capture();
    expect(await main(["list"], io)).toBe(0);
    for (const id of ["original", "emerald-rapids", "lists-full", "switch-lists-fit", "throttled-after-snapshot"])
      expect(io.o).toContain(id);
  });
});
