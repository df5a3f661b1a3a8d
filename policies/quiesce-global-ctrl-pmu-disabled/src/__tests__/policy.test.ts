import "reflect-metadata";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkPolicy } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

describe(`${policy.id} in the conformance matrix`, () => {
  it("has the manifest of its folder and gives the recorded verdicts and state counts (expected.json)", () => {
    const dir = fileURLToPath(new URL("../../", import.meta.url));
    const expected = JSON.parse(readFileSync(`${dir}expected.json`, "utf8"));
    expect(checkPolicy(policy, dir, expected)).toEqual([]);
  });
});
