import "reflect-metadata";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

const ROW = ["--policy", "original,post-exit-reload", "--profile", "skylake-server-no-isolation,icelake-server"];
const SCEN = ["--scenario", "throttle-window,lists-full,no-host-pebs"];

async function run(args: string[]): Promise<{ code: number; o: string; e: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, o: io.o, e: io.e };
}

describe("matrix --shard and merge", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchlab-shard-"));

  it("--shard 1/2 + --shard 2/2 + merge is the unsharded JSON, byte for byte", async () => {
    const whole = await run(["matrix", ...ROW, ...SCEN, "--format", "json", "--quiet"]);
    expect(whole.code).toBe(0);
    const files: string[] = [];
    for (const i of [2, 1]) {
      const s = await run(["matrix", ...ROW, ...SCEN, "--format", "json", "--quiet", "--shard", `${i}/2`]);
      expect(s.code).toBe(0);
      const m = JSON.parse(s.o);
      expect(m.shard).toEqual({ index: i, count: 2 });
      expect(m.cells.length).toBeLessThan(JSON.parse(whole.o).cells.length);
      files.push(join(dir, `s${i}.json`));
      writeFileSync(files.at(-1) as string, s.o);
    }
    const merged = await run(["merge", ...files]);
    expect(merged.code).toBe(0);
    expect(merged.o).toBe(whole.o);
  });

  it("refuses shards of different inputs, a missing shard, a repeated one, in one line", async () => {
    const a = await run(["matrix", ...ROW, ...SCEN, "--format", "json", "--quiet", "--shard", "1/2"]);
    const b = await run([
      "matrix",
      ...ROW,
      "--scenario",
      "throttle-window",
      "--format",
      "json",
      "--quiet",
      "--shard",
      "2/2",
    ]);
    writeFileSync(join(dir, "a.json"), a.o);
    writeFileSync(join(dir, "b.json"), b.o);
    const diff = await run(["merge", join(dir, "a.json"), join(dir, "b.json")]);
    expect(diff.code).toBe(2);
    expect(diff.e).toMatch(/shards of different runs: their "scenarios" differs\n$/);
    const missing = await run(["merge", join(dir, "a.json")]);
    expect(missing.e).toContain("shard 2/2 missing");
    const twice = await run(["merge", join(dir, "a.json"), join(dir, "a.json")]);
    expect(twice.e).toContain("are both shard 1/2");
    const bad = await run(["matrix", "--shard", "3/2"]);
    expect([bad.code, bad.e]).toEqual([
      2,
      "switchlab: --shard takes i/n with 1 <= i <= n (for example 1/4), got '3/2'\n",
    ]);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe(a.o);

    // A shard edited after switchlab wrote it: a cell removed, or a verdict the contract lacks.
    const doc = JSON.parse(a.o);
    const cut = { ...doc, cells: doc.cells.slice(1) };
    writeFileSync(join(dir, "cut.json"), JSON.stringify(cut));
    const removed = await run(["merge", join(dir, "cut.json")]);
    expect([removed.code, removed.e.trim().split("\n").length]).toEqual([2, 1]);
    expect(removed.e).toMatch(
      /cut\.json is a document whose results do not match its digest: it was changed after switchlab wrote it/,
    );
    const odd = structuredClone(doc);
    odd.cells[0].verdict = "passed";
    writeFileSync(join(dir, "odd.json"), JSON.stringify(odd));
    const verdict = await run(["merge", join(dir, "odd.json")]);
    expect(verdict.code).toBe(2);
    expect(verdict.e).toMatch(/odd\.json does not follow the matrix JSON Schema at \/cells\/0\/verdict: /);
  });
});
