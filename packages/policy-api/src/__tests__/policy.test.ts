import { describe, expect, it } from "vitest";
import { definePolicy, PolicyDefinitionError } from "../policy.js";
import { SequenceEditor } from "../sequence-editor.js";
import type { Step } from "../step.js";

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

  it("extends: the bases' registrations and patches run first, in order, and touches join", () => {
    const calls: string[] = [];
    const mark = (id: string): Step<string[], null> => ({
      id,
      fn: id,
      file: "t.c",
      version: "v0",
      insns: 0,
      run: (w) => {
        w.push(id);
        return undefined;
      },
    });
    const a = definePolicy<string[], null>({
      ...ok,
      id: "a",
      touches: ["x.c"],
      register: () => calls.push("register a"),
      patch: (ed) => ed.insertAfter("s", "base", mark("from-a")),
    });
    const b = definePolicy<string[], null>({
      ...ok,
      id: "b",
      touches: ["y.c"],
      patch: (ed) => ed.insertAfter("s", "base", mark("from-b")),
    });
    const both = definePolicy<string[], null>({
      ...ok,
      id: "both",
      touches: ["x.c"],
      extends: [a, b],
      register: () => calls.push("register both"),
    });
    expect(both.extends).toEqual(["a", "b"]);
    expect(both.touches).toEqual(["x.c", "y.c"]);
    both.register?.(null as never);
    expect(calls).toEqual(["register a", "register both"]);
    const ed = new SequenceEditor<string[], null>([{ id: "s", title: "t", steps: [mark("base")] }]);
    both.patch?.(ed);
    expect(
      ed
        .compile()
        .get("s")
        ?.steps.map((x) => x.id),
    ).toEqual(["base", "from-b", "from-a"]);
  });

  it("extends: refuses two bases that both add state slots", () => {
    const s1 = definePolicy({ ...ok, id: "s1", stateSlots: 1 });
    const s2 = definePolicy({ ...ok, id: "s2", stateSlots: 1 });
    expect(() => definePolicy({ ...ok, id: "s12", extends: [s1, s2] })).toThrow(/s1 and s2 both add state slots/);
  });
});
