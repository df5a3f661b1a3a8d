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
  it("makes its row an error naming the step budget, and nothing else", () => {
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
          // A counter that never repeats keeps the states new, so only the watchdog stops it.
          run: (w: { ext: number[] }) => {
            w.ext[0] = (w.ext[0] ?? 0) + 1;
            return "test:spin";
          },
        });
      },
    } as never);
    const r = runCell(createRootContainer(), looping as never, skylake, tw, DEFAULT_BOUNDS);
    expect(r.cells.map((c) => c.verdict)).toEqual(r.cells.map(() => "error"));
    expect(r.cells[0]?.message).toMatch(
      /^the run loop ran 256 steps without a VM-exit \(last at test:spin\); a patched sequence loops$/,
    );
  });
});
