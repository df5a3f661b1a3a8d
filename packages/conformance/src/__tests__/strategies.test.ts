import "reflect-metadata";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import { runCell } from "../matrix/run-cell.js";
import { SCENARIOS } from "../scenarios/index.js";

const upstream = definePolicy({
  id: "upstream-for-tests",
  title: "u",
  summary: "u",
  upstream: { cite: "v5.11", url: "https://kernel.org" },
  touches: [],
});
const skylake = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation")!;
const tw = SCENARIOS.find((s) => s.id === "throttle-window")!;
const verdicts = (r: ReturnType<typeof runCell>) => r.cells.map((c) => `${c.property}:${c.verdict}`);

describe("strategies on a real cell", () => {
  const b = runCell(createRootContainer(), upstream as never, skylake, tw, DEFAULT_BOUNDS);

  it("dfs reaches the verdicts bfs reaches, with counterexamples no shorter than bfs's", () => {
    const d = runCell(createRootContainer(), upstream as never, skylake, tw, DEFAULT_BOUNDS, undefined, {
      kind: "dfs",
    });
    expect(verdicts(d)).toEqual(verdicts(b));
    expect(d.cells[0]?.complete).toBe(true);
    for (const c of d.cells) {
      const bc = b.cells.find((x) => x.property === c.property);
      if (c.counterexample)
        expect(c.counterexample.actions.length).toBeGreaterThanOrEqual(bc?.counterexample?.actions.length ?? 0);
    }
  });

  it("random walks never claim completeness and only report what they saw", () => {
    const r = runCell(createRootContainer(), upstream as never, skylake, tw, DEFAULT_BOUNDS, undefined, {
      kind: "random",
      seed: 5,
      walks: 300,
    });
    expect(r.cells.every((c) => !c.complete)).toBe(true);
    for (const c of r.cells)
      if (c.verdict === "violated") expect(b.cells.find((x) => x.property === c.property)?.verdict).toBe("violated");
  });

  it("a scenario naming an unknown guard makes the row an error, not a crash", () => {
    const r = runCell(
      createRootContainer(),
      upstream as never,
      skylake,
      { ...tw, guards: ["no-such-guard"] },
      DEFAULT_BOUNDS,
    );
    expect(
      r.cells.every(
        (c) => c.verdict === "error" && c.message === "scenario throttle-window names an unknown guard no-such-guard",
      ),
    ).toBe(true);
  });
});

describe("a policy that never lets the run loop reach VM-entry", () => {
  it.each([
    ["changes the state on every turn", true],
    ["jumps back to the same state", false],
  ])("makes its row an error naming the step budget when it %s", (_what, counts) => {
    const looping = definePolicy({
      id: "test-looping",
      title: "t",
      summary: "t",
      upstream: { cite: "t", url: "https://kernel.org" },
      touches: ["vmx_vcpu_run"],
      stateSlots: 1,
      patch: (ed: { insertBefore: (seq: string, step: string, s: object) => void }) => {
        ed.insertBefore("vcpu_run", "vmx_vcpu_run:vm-entry", {
          id: "test:spin",
          fn: "vmx_vcpu_run",
          file: "t",
          version: "t",
          // Either a counter that never repeats (only the watchdog stops it), or a jump back to an
          // unchanged state (a cycle in the model's own fields, which the watchdog in the state
          // unrolls into a path).
          run: (w: { ext: number[] }) => {
            if (counts) w.ext[0] = ((w.ext[0] ?? 0) + 1) % 1000;
            return "test:spin";
          },
        });
      },
    } as never);
    const r = runCell(createRootContainer(), looping as never, skylake, tw, DEFAULT_BOUNDS);
    expect(r.cells.map((c) => c.verdict)).toEqual(r.cells.map(() => "error"));
    expect(r.cells[0]?.message).toBe(
      "run loop never reaches VM-exit: it ran 256 steps without one (last at test:spin); a patched sequence loops",
    );
    // The path that loops is the counterexample: it ends on the spinning step, past the budget.
    const cx = r.cells[0]?.counterexample;
    expect(cx?.actions.length).toBeGreaterThan(256);
    expect(cx?.reproduce).toContain("--policy test-looping");
  });
});
