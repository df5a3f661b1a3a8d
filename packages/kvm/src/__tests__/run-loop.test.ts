import "reflect-metadata";
import { CompiledSequence } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import { runLoopInsns } from "../insns.js";
import {
  EXIT_EXTINT,
  EXIT_FAILED_ENTRY,
  EXIT_FASTPATH,
  EXIT_FORGOTTEN,
  EXIT_FORGOTTEN_FASTPATH,
  EXIT_NMI,
  EXIT_NONE,
  EXIT_SLOW,
  type KvmWorld,
} from "../kvm-state.js";
import { exitReasonLive, exitWasFastpath, forgetDeadExitReason, runLoopSequence } from "../run-loop.js";
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

describe("the exit reason is kept only where a step reads it (the dead-value reduction, forgetDeadExitReason)", () => {
  const compiled = (kernel: "v5.11" | "v6.16" | "v7.3", mediated = false) => {
    const seq = runLoopSequence(kernel, mediated ? { mediated: { hostEvents: [] } } : {});
    return new CompiledSequence(seq.id, seq.title, seq.steps);
  };

  it("is live from the VM-exit through vmx_handle_exit_irqoff, and dead from local_irq_enable to the guest", () => {
    for (const [kernel, mediated] of [
      ["v5.11", false],
      ["v6.16", false],
      ["v7.3", true],
    ] as const) {
      const seq = compiled(kernel, mediated);
      const live = exitReasonLive(seq);
      const ids = seq.steps.map((s) => s.id);
      const liveIds = ids.filter((_, pc) => live(pc));
      expect(liveIds[0]).toBe(ids[ids.indexOf(STEP.guest) + 1]);
      expect(liveIds.at(-1)).toBe(STEP.handleExitIrqoff);
      expect(liveIds).toEqual(ids.slice(ids.indexOf(STEP.guest) + 1, ids.indexOf(STEP.handleExitIrqoff) + 1));
      // Every step that reads it is in: the fastpath decision, and v6.16's vmx_handle_nmi and the
      // mediated vPMU's vmx_refresh_guest_perf_global_control where the kernel has them.
      for (const id of [STEP.fastpath, STEP.handleNmiV616, STEP.refreshGlobalCtrl])
        if (ids.includes(id)) expect(liveIds).toContain(id);
      for (const id of [STEP.irqEnable, STEP.irqsOn, STEP.done, STEP.irqDisable, STEP.reenter, STEP.guest])
        expect(liveIds).not.toContain(id);
    }
  });

  it("is kept everywhere in a sequence without those steps", () => {
    const seq = runLoopSequence("v5.11");
    const without = new CompiledSequence(
      seq.id,
      seq.title,
      seq.steps.filter((s) => s.id !== STEP.handleExitIrqoff),
    );
    expect(without.steps.every((_, pc) => exitReasonLive(without)(pc))).toBe(true);
  });

  it("forgets it where dead, keeping whether the exit was a fastpath exit, and leaves it where live", () => {
    const forgotten = (pc: number, reason: number) => {
      const w = { kvm: { pc, exitReason: reason } } as unknown as KvmWorld;
      forgetDeadExitReason(
        w,
        (x) => x.kvm.exitReason,
        (p) => p === 7,
      );
      return w.kvm.exitReason;
    };
    expect(forgotten(7, EXIT_FASTPATH)).toBe(EXIT_FASTPATH);
    expect(forgotten(7, EXIT_NMI)).toBe(EXIT_NMI);
    expect(forgotten(3, EXIT_FASTPATH)).toBe(EXIT_FORGOTTEN_FASTPATH);
    for (const r of [EXIT_NONE, EXIT_NMI, EXIT_SLOW, EXIT_EXTINT, EXIT_FAILED_ENTRY])
      expect(forgotten(3, r)).toBe(EXIT_FORGOTTEN);
    expect(forgotten(3, EXIT_FORGOTTEN_FASTPATH)).toBe(EXIT_FORGOTTEN_FASTPATH);
    expect(forgotten(3, EXIT_FORGOTTEN)).toBe(EXIT_FORGOTTEN);
    expect([EXIT_FASTPATH, EXIT_FORGOTTEN_FASTPATH].every(exitWasFastpath)).toBe(true);
    expect([EXIT_NONE, EXIT_NMI, EXIT_SLOW, EXIT_FORGOTTEN].some(exitWasFastpath)).toBe(false);
  });
});
