import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARTIFACT_AGAIN, artifact } from "./artifact.js";

/**
 * Same inputs, same output: a second run of the default matrix, with one worker and from an empty
 * row cache (each row explored once per class of equivalent profiles, and a policy's row that
 * changes nothing original's row reached answered from it), gives the bytes of the first, which
 * explored every row (scripts/test-matrix.mjs).
 */
describe("the default matrix is deterministic", () => {
  it("with two workers and with one: byte-identical JSON", () => {
    const again = readFileSync(ARTIFACT_AGAIN, "utf8");
    const { text } = artifact();
    expect(text.length).toBeGreaterThan(1000);
    expect(again === text).toBe(true);
  });
});
