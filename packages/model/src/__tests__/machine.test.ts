import "reflect-metadata";
import { entryMsr, MSR_IA32_PEBS_ENABLE } from "@switchlab/hardware";
import { STEP } from "@switchlab/kvm";
import { describe, expect, it } from "vitest";
import { pmiLatencyNeed } from "../assumptions/pmi-latency.js";
import { worldWords } from "../world.js";
import { cell, runUntil } from "./helpers.js";

describe("the machine", () => {
  it("starts with the scenario's events running and the host debug store in DS_AREA", () => {
    const c = cell();
    expect(c.initial.hw.pebsEnable).toBe(1);
    expect(c.initial.perf.evInterrupts[0]).toBe(1);
    expect(c.initial.hw.dsArea).toBe(1);
  });

  it("names every choice by program point, in a fixed order", () => {
    const c = cell();
    expect(c.machine.actions(c.initial).map((a) => c.machine.actionName(c.initial, a))).toEqual([
      "vcpu_enter_guest:local_irq_disable",
      "overflow0@vcpu_enter_guest:local_irq_disable",
    ]);
    expect(c.machine.actions(c.initial)).toEqual(c.machine.actions(c.initial));
  });

  it("never changes the world it is given", () => {
    const c = cell();
    const before = [...worldWords(c.initial)];
    for (const a of c.machine.actions(c.initial)) c.machine.apply(c.initial, a);
    expect([...worldWords(c.initial)]).toEqual(before);
  });

  it("offers an NMI only once a PMI is pending, and spends the budgets", () => {
    const c = cell();
    const a = c.machine.actions(c.initial).find((x) => x.kind === "overflow")!;
    const w = c.machine.apply(c.initial, a);
    expect(w.budget.overflows).toBe(0);
    expect(c.machine.actions(w).map((x) => c.machine.actionName(w, x))).toContain(
      "nmi@vcpu_enter_guest:local_irq_disable",
    );
    const n = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "nmi")!);
    expect(c.machine.actions(n).some((x) => x.kind === "nmi" || x.kind === "overflow")).toBe(false);
  });

  it("runs the v5.11 loop: switch, enter, guest exits, IRQs on; the stale-free path keeps PEBS_ENABLE fresh", () => {
    const c = cell({ exits: ["slow"] });
    const w = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
    expect(w.hw.mode).toBe(1);
    expect(w.hw.pebsEnable).toBe(0);
    expect(w.hw.exitList.toArray().map(entryMsr)).toEqual([MSR_IA32_PEBS_ENABLE]);
    const back = runUntil(c, w, (x) => c.machine.isIrqsOn(x));
    expect([back.hw.mode, back.hw.pebsEnable, back.kvm.roundTrips]).toEqual([0, 1, 1]);
  });

  it("a fastpath exit re-runs atomic_switch_perf_msrs with IRQs still off", () => {
    const c = cell({ exits: ["fastpath"] });
    let w = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
    w = c.machine.apply(w, c.machine.findAction(w, "vmexit:fastpath@guest")!);
    w = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "step")!);
    expect(c.env.seq.runLoop.steps[w.kvm.pc]?.id).toBe(STEP.reenter);
  });

  it("host activities run only with IRQs on, each scheduling activity once", () => {
    const c = cell();
    const w = runUntil(c, c.initial, (x) => c.machine.isIrqsOn(x));
    const names = c.machine.actions(w).map((a) => c.machine.actionName(w, a));
    expect(names).toContain("tick@vcpu_enter_guest:irqs-on");
    expect(names).toContain("sched:swap@vcpu_enter_guest:irqs-on");
    let s = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "sched")!);
    s = runUntil(c, s, (x) => x.host.act === 0);
    expect(s.perf.events[0]).toBe(2);
    expect(c.machine.actions(s).some((a) => a.kind === "sched")).toBe(false);
  });

  it("the vCPU stops after maxRoundTrips", () => {
    const c = cell({ overflows: { counters: [0], budget: 0 }, tickBudget: 0, activities: [] });
    const w = runUntil(c, c.initial, (x) => c.machine.isDone(x), 200);
    expect(c.machine.isDone(w)).toBe(true);
    expect(w.kvm.roundTrips).toBe(2);
    expect(c.machine.actions(w)).toEqual([]);
  });

  it("a PMI waits at most the latency bound, in instructions of the steps the interrupted context runs", () => {
    const c = cell({ pmiLatency: 100 });
    const a = c.machine.actions(c.initial).find((x) => x.kind === "overflow")!;
    let w = c.machine.apply(c.initial, a);
    let insns = 0;
    // Steps (40, then 83 instructions in v5.11) age the PMI; once 100 have passed only the NMI is left.
    while (c.machine.actions(w).some((x) => x.kind === "step")) {
      insns += c.env.seq.runLoop.insnsAt(w.kvm.pc, w, c.env);
      w = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "step")!);
    }
    expect(insns).toBeGreaterThanOrEqual(100);
    expect(insns - 83).toBeLessThan(100);
    expect(c.machine.actions(w).map((x) => x.kind)).toEqual(["nmi"]);
  });

  it("a due PMI comes before an NMI from another source: the rule and the machine agree (pmiLatencyNeed)", () => {
    const c = cell({ pmiLatency: 100, otherNmiBudget: 1 });
    const a = c.machine.actions(c.initial).find((x) => x.kind === "overflow")!;
    let w = c.machine.apply(c.initial, a);
    expect(
      c.machine
        .actions(w)
        .filter((x) => x.kind === "nmi")
        .map((x) => x.arg),
    ).toEqual([0, 1]);
    while (c.machine.actions(w).some((x) => x.kind === "step"))
      w = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "step")!);
    // Due: only the PMI's NMI is offered, and the rule asks a bound above the age of the other one.
    expect(c.machine.actions(w).map((x) => [x.kind, x.arg])).toEqual([["nmi", 0]]);
    expect(pmiLatencyNeed(w, { kind: "nmi", arg: 1 })).toBe(w.hw.pmiAge + 1);
    expect(pmiLatencyNeed(w, { kind: "nmi", arg: 0 })).toBe(0);
  });

  it("with the NMI budget spent, a PMI that is due ends the run instead of waiting past the bound", () => {
    const c = cell({ pmiLatency: 1, nmiBudget: 0 });
    const w = c.machine.apply(c.initial, c.machine.actions(c.initial).find((x) => x.kind === "overflow")!);
    const next = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "step")!);
    expect(c.machine.actions(next)).toEqual([]);
  });

  it("an overflowed counter cannot overflow again until perf writes its period (the handler re-arms it)", () => {
    const c = cell({ overflows: { counters: [0], budget: 3 }, nmiBudget: 3 });
    const w = c.machine.apply(c.initial, c.machine.actions(c.initial).find((x) => x.kind === "overflow")!);
    expect(c.machine.actions(w).some((x) => x.kind === "overflow")).toBe(false);
    const n = c.machine.apply(w, c.machine.actions(w).find((x) => x.kind === "nmi")!);
    // The handler re-armed it (intel_pmu_save_and_restart) before perf_event_overflow throttled the event.
    expect(n.hw.ctrArmed & 1).toBe(1);
  });

  it("a latent PEBS assist is offered within the counter's quiescent period only", () => {
    const c = cell({ pebsQuiescent: 20, overflows: { counters: [0], budget: 1 } });
    // Run to add_atomic_switch_msr's WRMSR PEBS_ENABLE = 0 and past it.
    let w = runUntil(
      c,
      c.initial,
      (x) => c.env.seq.runLoop.steps[x.kvm.pc]?.id === STEP.store && x.hw.pebsEnable === 0,
    );
    expect(w.hw.pebsLatent).toBe(1);
    expect(c.machine.actions(w).map((x) => c.machine.actionName(w, x))).toContain(`latent-pebs0@${c.machine.point(w)}`);
    w = runUntil(c, w, (x) => x.hw.pebsLatent === 0, 10);
    expect(w.hw.pebsLatent).toBe(0);
    expect(c.machine.actions(w).some((x) => x.kind === "latent")).toBe(false);
  });
});
