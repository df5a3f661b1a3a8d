import "reflect-metadata";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkPolicy, matrixSchemaError } from "@switchlab/conformance";
import type { ModelEnv, World } from "@switchlab/model";
import { discoverPolicies } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import { artifact, REPO } from "./artifact.js";

/**
 * Every policy's expected.json against the default matrix: each recorded verdict, guard and state
 * count, and no row missing or in error (tlaplus/Examples' manifest check, once per CI run).
 */
const { policies, problems } = await discoverPolicies<World, ModelEnv>(REPO);

describe("the default matrix", () => {
  const { m } = artifact();

  it("follows the published JSON Schema (conformance/schema/matrix.schema.json)", () => {
    expect(matrixSchemaError(JSON.parse(artifact().text))).toBeUndefined();
  });

  it("loads every policy in policies/ and holds a row for each", () => {
    expect(problems).toEqual([]);
    expect(m.policies.map((p) => p.id)).toEqual(policies.map((p) => p.id));
  });

  it("is complete: no cell unknown, vacuous or in error", () => {
    const bad = m.cells.filter((c) => !c.complete || ["unknown", "vacuous", "error"].includes(c.verdict));
    expect(bad.map((c) => `${c.policy} ${c.profile} ${c.scenario} ${c.property}: ${c.verdict}`)).toEqual([]);
  });

  for (const p of policies)
    it(`${p.id}: every row gives expected.json's verdicts, guards and state counts`, () => {
      const dir = join(REPO, "policies", p.id);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
      expect(checkPolicy(p, dir, expected, m)).toEqual([]);
    });
});
