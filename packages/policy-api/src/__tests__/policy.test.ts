import { describe, expect, it } from "vitest";
import { definePolicy, PolicyDefinitionError } from "../policy.js";

const ok = {
  id: "demo",
  title: "Demo",
  summary: "does nothing",
  upstream: { cite: "a mail", url: "https://lore.kernel.org/x" },
  touches: [],
};

describe("definePolicy", () => {
  it("returns the validated, frozen policy with the contract version", () => {
    const p = definePolicy(ok);
    expect(p.contract).toBe(1);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it("refuses a bad id, a missing link and unknown fields, naming the field", () => {
    expect(() => definePolicy({ ...ok, id: "Bad Id" })).toThrow(PolicyDefinitionError);
    expect(() => definePolicy({ ...ok, upstream: { cite: "x", url: "not a url" } })).toThrow(/field "upstream.url"/);
    expect(() => definePolicy({ ...ok, extra: 1 } as never)).toThrow(/policy demo/);
  });
});
