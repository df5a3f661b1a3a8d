import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

/** The worker pool changes how fast the matrix runs, never what it says. */
describe("matrix --jobs", () => {
  it("gives byte-identical JSON with one worker and with two", async () => {
    const args = ["matrix", "--policy", "original,post-exit-reload", "--format", "json", "--quiet"];
    const one = capture();
    const two = capture();
    expect(await main([...args, "--jobs", "1"], one)).toBe(0);
    expect(await main([...args, "--jobs", "2"], two)).toBe(0);
    expect(one.o.length).toBeGreaterThan(1000);
    expect(two.o).toBe(one.o);
  }, 120_000);
});
