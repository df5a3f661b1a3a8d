import "reflect-metadata";
import { hostOnlySamplingEvent } from "@switchlab/perf";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../scenario.js";
import { cell, profile, runUntil } from "./helpers.js";

/** A mediated vCPU on v7.3 whose guest samples on counter 1, with one PMU write in its budget. */
const MEDIATED: Partial<Scenario> = {
  id: "guest-unit",
  kernel: "v7.3",
  kvm: { enableMediatedPmu: true },
  events: [hostOnlySamplingEvent("cycles:H")],
  initial: [{ event: "cycles:H", counter: 0 }],
  activities: [],
  overflows: { counters: [1], budget: 1 },
  exits: ["slow", "fastpath"],
  vcpu: { hasPmu: true, guestCounters: 0b10 },
  guestWriteBudget: 1,
};

const names = (c: ReturnType<typeof cell>, w: ReturnType<typeof cell>["initial"]) =>
  c.machine.actions(w).map((a) => c.machine.actionName(w, a));

describe("the mediated guest's PMU writes (model/src/guest.ts)", () => {
  const c = cell(MEDIATED, undefined, profile("sapphire-rapids-no-save"));
  const inGuest = runUntil(c, c.initial, (w) => c.machine.isGuest(w));

  it("starts with the guest's record as its scenario programmed it", () => {
    expect([c.initial.guest.ctrl, c.initial.guest.armed, c.initial.guest.status]).toEqual([0b10, 0b10, 0]);
    expect(c.initial.budget.guestWrites).toBe(1);
  });

  it("offers the GLOBAL_CTRL write only while the guest runs, and the ack only once GLOBAL_STATUS has a bit", () => {
    expect(names(c, c.initial).some((n) => n.startsWith("guest:"))).toBe(false);
    expect(names(c, inGuest)).toContain("guest:global-ctrl@guest:running");
    expect(names(c, inGuest)).not.toContain("guest:ack@guest:running");
  });

  it("a GLOBAL_CTRL write changes the MSR at once (passed through) and spends the budget", () => {
    const w = c.machine.apply(inGuest, c.machine.findAction(inGuest, "guest:global-ctrl@guest:running")!);
    expect([w.hw.globalCtrl, w.guest.ctrl, w.budget.guestWrites, w.hw.mode]).toEqual([0, 0, 0, 1]);
    expect(names(c, w).some((n) => n.startsWith("guest:"))).toBe(false);
    // Without the save control the MSR-store list keeps it, and the refresh brings it back to the VMCS field.
    const exited = c.machine.apply(w, c.machine.findAction(w, "vmexit:slow@guest")!);
    const back = runUntil(c, exited, (x) => c.machine.isIrqsOn(x));
    expect([back.hw.autostoreGlobalCtrlValue, back.kvm.pmuGlobalCtrl, back.hw.guestGlobalCtrlField]).toEqual([0, 0, 0]);
  });

  it("an overflow of the guest's counter sets its record's status bit and disarms it; the ack clears both and re-arms", () => {
    const o = c.machine.apply(inGuest, c.machine.findAction(inGuest, "overflow1@guest:running")!);
    expect([o.guest.status, o.guest.armed, o.hw.globalStatus & 0xff, o.hw.ctrArmed & 0b10]).toEqual([0b10, 0, 0b10, 0]);
    // Its PMI is due later; before it the guest may ack (a polling guest or its handler).
    const ack = c.machine.findAction(o, "guest:ack@guest:running");
    expect(ack).toBeDefined();
    const a = c.machine.apply(o, ack!);
    expect([a.guest.status, a.guest.armed, a.hw.globalStatus & 0xff, a.hw.ctrArmed & 0b10]).toEqual([0, 0b10, 0, 0b10]);
  });

  it("a row without the mediated vPMU offers no guest write, whatever the budget", () => {
    const plain = cell({ guestWriteBudget: 3 });
    const g = runUntil(plain, plain.initial, (w) => plain.machine.isGuest(w));
    expect(plain.machine.isGuest(g)).toBe(true);
    expect(names(plain, g).some((n) => n.startsWith("guest:"))).toBe(false);
  });
});
