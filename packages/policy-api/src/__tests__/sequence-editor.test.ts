import { describe, expect, it } from "vitest";
import { SequenceEditor, SequencePatchError } from "../sequence-editor.js";
import type { Step } from "../step.js";

type W = { log: string[]; n: number };
const step = (id: string, next?: string): Step<W, null> => ({
  id,
  fn: id,
  file: "test.c",
  version: "v0",
  insns: 1,
  run: (w) => {
    w.log.push(id);
    return next;
  },
});

function runAll(ed: SequenceEditor<W, null>, seq: string): string[] {
  const s = ed.compile().get(seq)!;
  const w: W = { log: [], n: 0 };
  for (let pc = 0, guard = 0; pc < s.steps.length && guard < 20; guard++) pc = s.runAt(pc, w, null);
  return w.log;
}

describe("sequence editor", () => {
  const base = () => new SequenceEditor<W, null>([{ id: "s", title: "t", steps: [step("a"), step("b"), step("c")] }]);

  it("runs steps in order and follows jumps", () => {
    const ed = new SequenceEditor<W, null>([{ id: "s", title: "t", steps: [step("a", "c"), step("b"), step("c")] }]);
    expect(runAll(ed, "s")).toEqual(["a", "c"]);
  });

  it("inserts, replaces and removes steps, recording each edit", () => {
    const ed = base()
      .insertBefore("s", "b", step("x"))
      .insertAfter("s", "c", step("y"))
      .remove("s", "a")
      .replace("s", "c", step("z"));
    expect(runAll(ed, "s")).toEqual(["x", "b", "z", "y"]);
    expect(ed.edits.map((e) => `${e.op} ${e.step}${e.newStep ? ` ${e.newStep}` : ""}`)).toEqual([
      "insert-before b x",
      "insert-after c y",
      "remove a",
      "replace c z",
    ]);
  });

  it("a step inserted before a jump target runs on every path into it, the jump's included", () => {
    // a jumps to c; x inserted before c must run whether c is reached by the jump or by b.
    const jump = () =>
      new SequenceEditor<W, null>([{ id: "s", title: "t", steps: [step("a", "c"), step("b"), step("c")] }]);
    expect(runAll(jump().insertBefore("s", "c", step("x")), "s")).toEqual(["a", "x", "c"]);
    const fall = new SequenceEditor<W, null>([{ id: "s", title: "t", steps: [step("a"), step("b"), step("c")] }]);
    expect(runAll(fall.insertBefore("s", "c", step("x")), "s")).toEqual(["a", "b", "x", "c"]);
    // Two steps inserted before the target both run, in order, on the jump path too.
    expect(runAll(jump().insertBefore("s", "c", step("x")).insertBefore("s", "c", step("y")), "s")).toEqual([
      "a",
      "x",
      "y",
      "c",
    ]);
  });

  it("replaces what a step runs while keeping its id and citation", () => {
    const ed = base().replaceRun("s", "b", (w) => {
      w.log.push("B!");
      return undefined;
    });
    expect(runAll(ed, "s")).toEqual(["a", "B!", "c"]);
    expect(ed.compile().get("s")!.steps[1]!.fn).toBe("b");
  });

  it("names the valid ids when a target does not exist", () => {
    expect(() => base().remove("s", "q")).toThrow(new SequencePatchError("sequence s has no step q; steps: a, b, c"));
    expect(() => base().remove("t", "a")).toThrow("no sequence t; sequences: s");
  });

  it("refuses duplicate step ids when compiling", () => {
    expect(() => base().insertAfter("s", "a", step("a")).compile()).toThrow("duplicate step id a");
  });
});
