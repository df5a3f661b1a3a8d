import "reflect-metadata";
import { readFileSync } from "node:fs";
import { builtinProfiles } from "@switchlab/hardware";
import { assumptionsJsonSchema } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { fromJsonForm, MatrixJsonError, matrixJsonText } from "../matrix/json-form.js";
import { runMatrix } from "../matrix/run-matrix.js";
import { SCENARIOS } from "../scenarios/index.js";

/** The matrix JSON against its published schema, and back to the matrix it came from. */
const upstream = definePolicy({
  id: "upstream",
  title: "u",
  summary: "u",
  upstream: { cite: "v5.11", url: "https://kernel.org" },
  touches: [],
});
const m = runMatrix({
  policies: [upstream as never],
  profiles: builtinProfiles().filter((p) => p.id === "skylake-server-no-isolation" || p.id === "icelake-server"),
  scenarios: SCENARIOS.filter((s) =>
    ["throttle-window", "handoff-host-sampling", "lists-full", "guest-pebs"].includes(s.id),
  ),
  problems: [{ path: "/p/broken", message: "does not load" }],
});
const schema = JSON.parse(readFileSync(new URL("../../schema/matrix.schema.json", import.meta.url), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe("the matrix JSON (switchlab.matrix/3)", () => {
  const text = matrixJsonText(m);
  const doc = JSON.parse(text);

  it("validates against schema/matrix.schema.json", () => {
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("the schema's assumptions are the ones model/src/assumptions/ declares (ids, order, values)", () => {
    expect(schema.$defs.assumptions).toEqual(assumptionsJsonSchema());
    expect(schema.$defs.assumptions.required).toEqual(Object.keys(doc.rows[0].assumptions));
  });

  it("the schema can fail: a cell without its verdict, or a violation without its counterexample, is refused", () => {
    const noVerdict = structuredClone(doc);
    delete noVerdict.cells[0].verdict;
    expect(validate(noVerdict)).toBe(false);
    const bare = structuredClone(doc);
    const v = bare.cells.find((c: { verdict: string }) => c.verdict === "violated");
    delete v.counterexample;
    expect(validate(bare)).toBe(false);
  });

  it("keeps each counterexample once, and reads back to the very matrix it was written from", () => {
    const withCx = m.cells.filter((c) => c.counterexample).length;
    expect(withCx).toBeGreaterThan(0);
    expect(doc.counterexamples.length).toBeLessThanOrEqual(withCx);
    expect(doc.cells.every((c: { counterexample?: { trace?: unknown } }) => !c.counterexample?.trace)).toBe(true);
    const back = fromJsonForm(doc);
    expect(back).toEqual(m);
    expect(JSON.stringify(back)).toBe(JSON.stringify(m));
    expect(matrixJsonText(back)).toBe(text);
  });

  it("keeps what an exploration's cells share once, in rows, and every counterexample string once", () => {
    const explorations = new Set(m.cells.map((c) => `${c.policy}/${c.profile}/${c.scenario}`));
    expect(doc.rows).toHaveLength(explorations.size);
    expect(doc.cells.every((c: { assumptions?: unknown }) => c.assumptions === undefined)).toBe(true);
    expect(new Set(doc.strings).size).toBe(doc.strings.length);
    // A step refers to its strings by index; a bad index is one line, not a stack of undefined.
    const broken = structuredClone(doc);
    broken.counterexamples[0].actions[0] = doc.strings.length;
    expect(() => fromJsonForm(broken)).toThrow(MatrixJsonError);
  });

  it("refuses a document of another version in one line", () => {
    expect(() => fromJsonForm({ ...doc, schema: "switchlab.matrix/1" })).toThrow(MatrixJsonError);
    expect(() => fromJsonForm({ ...doc, schema: "switchlab.matrix/1" })).toThrow(
      'not a switchlab.matrix/3 document (schema: "switchlab.matrix/1")',
    );
  });
});
