import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { relabelPolicy } from "../cache/relabel.js";
import { lastStats } from "../cache/rows.js";
import { main } from "../main.js";
import { capture } from "./capture.js";
import { run, scratch, touch, useScratchRoots } from "./scratch-root.js";

useScratchRoots();

describe("rows answered by the baseline's (model/src/reach.ts)", () => {
  /**
   * isolation-aware overrides intel_guest_get_msrs only, which the mediated vPMU's run loop never
   * calls: on mediated-failed-entry its row is original's. On throttle-window it is called, and
   * post-exit-reload's steps run on both rows: those are explored.
   */
  const args = [
    "--scenario",
    "mediated-failed-entry,throttle-window",
    "--policy",
    "original,isolation-aware,post-exit-reload",
  ];
  const rows = 3 * 2;
  let root: string;
  let own: string;

  it("answers a row from the baseline's when nothing the policy changes was reached there, byte for byte", async () => {
    root = scratch();
    own = (await run(root, [...args, "--no-cache"])).out;
    expect(lastStats).toMatchObject({ hits: 0, baseline: 0, explored: rows });
    process.env.SWITCHLAB_CACHE_DIR = mkdtempSync(join(tmpdir(), "switchlab-cache-dir-"));
    const shared = await run(root, args);
    expect(lastStats).toMatchObject({ hits: 0, baseline: 1, explored: rows - 1 });
    expect(shared.out).toBe(own);
    expect(shared.out).toContain(
      "--policy isolation-aware --profile skylake-server-no-isolation --scenario mediated-failed-entry ",
    );
    // Stored under the policy's own key: the next run reads it.
    expect((await run(root, args)).out).toBe(own);
    expect(lastStats).toMatchObject({ hits: rows, baseline: 0, explored: 0 });
  });

  it("uses the baseline's stored row when the run leaves it out, even one a --no-cache run stored", async () => {
    // The scratch root's own cache holds what the --no-cache run above stored (original's reach too).
    touch(root, "isolation-aware");
    const alone = [...args.slice(0, 2), "--policy", "isolation-aware"];
    const out = (await run(root, alone)).out;
    expect(lastStats).toMatchObject({ hits: 0, baseline: 1, explored: 1 });
    expect(out).toBe((await run(root, [...alone, "--no-cache"])).out);
  });

  it("answers switchlab frontier's rows the same way, counterexamples of its edges relabelled", async () => {
    process.env.SWITCHLAB_ROOT = root;
    const fr = ["frontier", "--policy", "original,isolation-aware", "--profile", "skylake-server-no-isolation"];
    fr.push(
      "--scenario",
      "mediated-failed-entry",
      "--dimension",
      "ticks",
      "--format",
      "json",
      "--quiet",
      "--jobs",
      "1",
    );
    const own = capture();
    expect(await main([...fr, "--no-cache"], own), own.e).toBe(0);
    expect(lastStats).toMatchObject({ baseline: 0, explored: 2 });
    process.env.SWITCHLAB_CACHE_DIR = mkdtempSync(join(tmpdir(), "switchlab-cache-dir-"));
    const shared = capture();
    expect(await main(fr, shared), shared.e).toBe(0);
    expect(lastStats).toMatchObject({ baseline: 1, explored: 1 });
    expect(shared.o).toBe(own.o);
    expect(shared.o).toContain(
      "--policy isolation-aware --profile skylake-server-no-isolation --scenario mediated-failed-entry ",
    );
  });

  it("relabels only where the policy's id is: anywhere else, the row is explored", () => {
    const cell = {
      policy: "original",
      profile: "p",
      scenario: "s",
      property: "x",
      verdict: "violated",
      counterexample: { reproduce: "pnpm switchlab check --policy original --profile p --scenario s --property x" },
    };
    const r = { ordinal: 0, cells: [cell], guards: [{ policy: "original", profile: "p" }], states: 1 } as never;
    const out = relabelPolicy(r, "original", "mine") as unknown as {
      cells: (typeof cell)[];
      guards: { policy: string }[];
    };
    expect(out.cells[0]?.policy).toBe("mine");
    expect(out.cells[0]?.counterexample.reproduce).toContain(" --policy mine --profile p ");
    expect(out.guards[0]?.policy).toBe("mine");
    const named = { ...cell, message: "as original does" };
    expect(
      relabelPolicy({ ordinal: 0, cells: [named], guards: [], states: 1 } as never, "original", "mine"),
    ).toBeUndefined();
  });
});
