import "reflect-metadata";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkPolicy } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

describe(`${policy.id} in the conformance matrix`, () => {
  it("has the manifest of its folder and gives expected.json's verdicts and state counts on the small slice (the whole matrix: pnpm test:matrix)", () => {
    const dir = fileURLToPath(new URL("../../", import.meta.url));
    const expected = JSON.parse(readFileSync(`${dir}expected.json`, "utf8"));
    expect(checkPolicy(policy, dir, expected)).toEqual([]);
  });
});
