import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { runLoopInsns } from "../insns.js";
import { runLoopSequence } from "../run-loop.js";
import { STEP } from "../steps.js";

describe("the vCPU run loop as named steps", () => {
  it("v5.11: switch, VM-entry, guest, fastpath decision, NMI handling in handle_exit_irqoff, IRQs on", () => {
    expect(runLoopSequence("v5.11").steps.map((s) => s.id)).toEqual([
      STEP.irqDisable,
      STEP.reenter,
      STEP.getMsrs,
      STEP.forEachMsr,
      STEP.quiesce,
      STEP.store,
      STEP.afterSwitch,
      STEP.timers,
      STEP.specCtrl,
      STEP.enterIrqoff,
      STEP.vmEntry,
      STEP.guest,
      STEP.fastpath,
      STEP.handleExitIrqoff,
      STEP.irqEnable,
      STEP.irqsOn,
      STEP.done,
    ]);
  });

  it("v6.16: the NMI handler runs right after the VM-exit, before the fastpath decision", () => {
    const ids = runLoopSequence("v6.16").steps.map((s) => s.id);
    expect(ids.slice(ids.indexOf(STEP.guest), ids.indexOf(STEP.guest) + 3)).toEqual([
      STEP.guest,
      STEP.handleNmiV616,
      STEP.fastpath,
    ]);
  });

  it("the code between the switch and VM-entry has its length: the counted instructions, step by step", () => {
    for (const k of ["v5.11", "v6.16"] as const) {
      const n = runLoopInsns(k);
      const seq = runLoopSequence(k);
      const len = (id: string) => {
        const s = seq.steps.find((x) => x.id === id);
        return typeof s?.insns === "number" ? s.insns : Number.NaN;
      };
      expect(len(STEP.timers)).toBe(n.timers);
      expect(len(STEP.specCtrl)).toBe(n.specCtrl);
      expect(len(STEP.enterIrqoff)).toBe(n.enterIrqoff);
      expect(len(STEP.vmEntry)).toBe(n.vmresume);
      expect(n.timers + n.specCtrl + n.enterIrqoff + n.vmresume).toBeGreaterThan(80);
    }
  });

  it("every step cites a kernel function, a file and a version", () => {
    for (const k of ["v5.11", "v6.16"] as const) {
      for (const s of runLoopSequence(k).steps) {
        expect(s.fn).toMatch(/^[a-z_0-9]+$/);
        expect(s.file).toMatch(/arch\/x86\/kvm\/|VMX non-root/);
        expect(s.version).toMatch(/^(v5\.11|v6\.16|SDM)$/);
      }
    }
  });
});
