import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { relabel } from "../cache/relabel.js";
import { lastStats } from "../cache/rows.js";
import { main } from "../main.js";
import { capture } from "./capture.js";
import { run, scratch, useScratchRoots } from "./scratch-root.js";

useScratchRoots();

describe("profiles equivalent on a row", () => {
  /**
   * Sapphire Rapids and Emerald Rapids differ only in model, stepping and microcode, which no
   * exploration reads (the kernel's pebs_no_isolation, derived from them, is the same); Ice Lake
   * and Sapphire Rapids without VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL likewise; and the two pairs
   * differ only in that control, which only the mediated vPMU's rows read (model/src/cell.ts
   * withLazy). On these rows, without the mediated vPMU, the four are one class: each row is
   * explored once, and each profile's cells, guards, costs and reproduce lines are the ones a run
   * of its own gives, byte for byte.
   */
  const PROFILES = ["icelake-server", "sapphire-rapids", "sapphire-rapids-no-save", "emerald-rapids"];
  // Rows with counterexamples on these profiles (--kernel own: one row per scenario).
  const args = ["--policy", "original,post-exit-reload", "--profile", PROFILES.join(",")];
  args.push("--scenario", "handoff-guest-counter,two-counters-one-nmi");

  it("explores a row once per class of profiles, and reports each profile as its own run would", async () => {
    const root = scratch();
    const own = await run(root, [...args, "--no-cache"]);
    const rows = 2 * PROFILES.length * 2;
    expect(lastStats).toMatchObject({ hits: 0, shared: 0, explored: rows });
    // Every row was stored; the equivalent profiles' rows of a group under one key, written once:
    // as many writes as the rows a run that shares them explores (below).
    expect(lastStats?.stored).toBe(rows);
    const written = lastStats?.written;
    // A fresh cache to see the sharing.
    process.env.SWITCHLAB_CACHE_DIR = mkdtempSync(join(tmpdir(), "switchlab-cache-dir-"));
    const shared = await run(root, args);
    expect(lastStats).toMatchObject({ hits: 0, shared: (rows * 3) / 4, explored: rows / 4 });
    expect(written).toBe(lastStats?.explored);
    expect(shared.out).toBe(own.out);
    const m = JSON.parse(shared.out) as { cells: { profile: string; counterexample?: { reproduce: string } }[] };
    const reproduce = m.cells.flatMap((c) => (c.counterexample ? [[c.profile, c.counterexample.reproduce]] : []));
    expect(new Set(reproduce.map(([p]) => p))).toEqual(new Set(PROFILES));
    for (const [p, line] of reproduce) expect(line).toContain(` --profile ${p} `);
    // And the next run reads every row, whichever profile explored it.
    expect((await run(root, args)).out).toBe(own.out);
    expect(lastStats).toMatchObject({ hits: rows, shared: 0, explored: 0 });
  });

  it("answers switchlab frontier's rows the same way: once per class, each profile as its own run", async () => {
    const root = scratch();
    process.env.SWITCHLAB_ROOT = root;
    const fr = [
      "frontier",
      "--policy",
      "original",
      "--profile",
      PROFILES.join(","),
      "--scenario",
      "handoff-guest-counter",
    ];
    fr.push("--kernel", "own", "--dimension", "ticks", "--format", "json", "--quiet", "--jobs", "1");
    const own = capture();
    expect(await main([...fr, "--no-cache"], own), own.e).toBe(0);
    // Every profile's row explored and stored, under one key written once.
    expect(lastStats).toMatchObject({ hits: 0, shared: 0, explored: PROFILES.length });
    expect(lastStats).toMatchObject({ stored: PROFILES.length, written: 1 });
    process.env.SWITCHLAB_CACHE_DIR = mkdtempSync(join(tmpdir(), "switchlab-cache-dir-"));
    const shared = capture();
    expect(await main(fr, shared), shared.e).toBe(0);
    expect(lastStats).toMatchObject({ hits: 0, shared: PROFILES.length - 1, explored: 1 });
    expect(shared.o).toBe(own.o);
    for (const p of PROFILES) expect(shared.o).toContain(`"${p}"`);
  });

  it("relabels a row only where the profile's id is: anywhere else, the row is explored", () => {
    const cell = {
      policy: "original",
      profile: "cpu-a",
      scenario: "s",
      property: "p",
      verdict: "violated",
      counterexample: { reproduce: "pnpm switchlab check --policy original --profile cpu-a --scenario s --property p" },
    };
    const r = { ordinal: 0, cells: [cell], guards: [{ policy: "original", profile: "cpu-a" }], states: 1 } as never;
    const out = relabel(r, "cpu-a", "cpu-a-2") as unknown as { cells: (typeof cell)[]; guards: { profile: string }[] };
    expect(out.cells[0]?.profile).toBe("cpu-a-2");
    expect(out.cells[0]?.counterexample.reproduce).toContain(" --profile cpu-a-2 --scenario");
    expect(out.guards[0]?.profile).toBe("cpu-a-2");
    const named = { ...cell, message: "seen on cpu-a only" };
    expect(relabel({ ordinal: 0, cells: [named], guards: [], states: 1 } as never, "cpu-a", "cpu-b")).toBeUndefined();
  });
});
