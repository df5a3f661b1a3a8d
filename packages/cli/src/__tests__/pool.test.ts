import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

/**
 * The worker pool changes how fast the matrix runs, never what it says. On a few rows here; the
 * whole default matrix is compared at --jobs 1 and the default in the matrix tier (determinism.test.ts).
 */
describe("matrix --jobs", () => {
  it("gives byte-identical JSON with one worker and with two", async () => {
    const args = ["matrix", "--policy", "original,post-exit-reload", "--profile", "skylake-server-no-isolation"];
    args.push("--scenario", "throttle-window,handoff-host-sampling,lists-full", "--kernel", "own");
    args.push("--format", "json", "--quiet", "--no-cache");
    const one = capture();
    const two = capture();
    expect(await main([...args, "--jobs", "1"], one)).toBe(0);
    expect(await main([...args, "--jobs", "2"], two)).toBe(0);
    expect(JSON.parse(one.o).cells.length).toBeGreaterThan(10);
    expect(two.o).toBe(one.o);
  });
});
