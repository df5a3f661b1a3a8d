import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARTIFACT, artifact, REPO } from "./artifact.js";

/**
 * Every table of figures in README.md and docs/ is generated (scripts/docs.mjs) from the code's
 * registries and from the matrix artifact; a hand edit or a model change that moves a figure
 * makes this fail until `node scripts/docs.mjs --matrix artifacts/matrix.json` is run again.
 */
describe("README.md and docs/ carry the figures of today's code and matrix", () => {
  it("scripts/docs.mjs --check finds every generated block up to date", () => {
    artifact();
    const r = spawnSync(process.execPath, [join(REPO, "scripts", "docs.mjs"), "--check", "--matrix", ARTIFACT], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(r.stdout + r.stderr).not.toMatch(/out of date/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
