import "reflect-metadata";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { capture } from "../__tests__/capture.js";
import { main } from "../main.js";
import { README_HEADINGS } from "../scaffold/templates.js";
import { REPO } from "./artifact.js";

afterEach(() => {
  delete process.env.SWITCHLAB_ROOT;
});

/**
 * `new-policy` explores the whole default matrix for the new policy to fill its README and
 * expected.json, so its test lives in the matrix tier. A scaffold changes nothing, so its
 * expectation is original's under another name.
 */
describe("new-policy", () => {
  it("scaffolds a plugin with the README headings (filled from a real run), a test, and original's expected.json under its id", async () => {
    const root = mkdtempSync(join(tmpdir(), "switchlab-new-"));
    mkdirSync(join(root, "policies"));
    process.env.SWITCHLAB_ROOT = root;
    const io = capture();
    expect(await main(["new-policy", "my-patch", "--no-install"], io)).toBe(0);
    const dir = join(root, "policies", "my-patch");
    expect(readdirSync(dir).sort()).toEqual([
      "README.md",
      "expected.json",
      "package.json",
      "src",
      "tsconfig.json",
      "vitest.config.ts",
    ]);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    for (const h of README_HEADINGS) expect(readme).toContain(`## ${h}`);
    expect(readme).toContain("`pnpm switchlab matrix --policy my-patch`");
    expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name).toBe("@switchlab/policy-my-patch");
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
    const original = JSON.parse(readFileSync(join(REPO, "policies", "original", "expected.json"), "utf8"));
    expect(expected).toEqual({ ...original, policy: "my-patch" });
    expect(readFileSync(join(dir, "src", "index.ts"), "utf8")).toContain('id: "my-patch"');
    expect(readdirSync(join(root, "policies"))).toEqual(["my-patch"]);
  });
});
