import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { RIP_FORGOTTEN, RIP_FORGOTTEN_IN_WINDOW } from "../cpu-hw-events.js";
import { forgetDeadRip, NMI_RETURN_INSNS, ripInWindow, unknownNmiMessage } from "../nmi.js";
import { env, PERF_WORLD, SAMPLING, world } from "./helpers.js";

describe("default_do_nmi (arch/x86/kernel/nmi.c)", () => {
  it("prints the exact unknown-NMI lines for an NMI nobody claims", () => {
    const e = env();
    const w = world(e);
    e.k.nmi.defaultDoNmi(w, e, 0x100);
    expect(e.obs.printks).toEqual([
      "Uhhuh. NMI received for unknown reason 2d on CPU 3.",
      "Do you have a strange power saving mode enabled?",
      "Dazed and confused, but trying to continue",
    ]);
    expect(w.perf.unknownNmis).toBe(1);
    expect(unknownNmiMessage(5, 12)).toBe("Uhhuh. NMI received for unknown reason 05 on CPU 12.");
  });

  it("v6.16 drops the power-saving line", () => {
    const e = env({ kernel: "v6.16" });
    e.k.nmi.defaultDoNmi(world(e), e, 0x100);
    expect(e.obs.printks).toHaveLength(2);
  });

  it("swallows an unclaimed back-to-back NMI after one that handled more than one source", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 1 }]);
    w.hw.globalStatus = 0b10 | 0b1;
    e.k.nmi.defaultDoNmi(w, e, 0x105);
    expect(w.perf.swallowNmi).toBe(1);
    e.k.nmi.defaultDoNmi(w, e, 0x105);
    expect(w.perf.unknownNmis).toBe(0);
  });

  it("does not swallow when the second NMI interrupts another instruction", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 1 }]);
    w.hw.globalStatus = 0b11;
    e.k.nmi.defaultDoNmi(w, e, 0x105);
    e.k.nmi.defaultDoNmi(w, e, 0x106);
    expect(w.perf.unknownNmis).toBe(1);
  });

  it("does not swallow after an NMI that handled only one source", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 1 }]);
    w.hw.globalStatus = 0b10;
    e.k.nmi.defaultDoNmi(w, e, 0x105);
    expect(w.perf.swallowNmi).toBe(0);
    e.k.nmi.defaultDoNmi(w, e, 0x105);
    expect(w.perf.unknownNmis).toBe(1);
  });
});

describe("last_nmi_rip is read only where it can matter (the dead-value reduction, forgetDeadRip)", () => {
  // Every NMI: claimed by perf (an overflow on counter 1), by two sources, or by none.
  const cases = [0, 0b10, 0b11] as const;

  it("with swallow_nmi clear, what last_nmi_rip held changes nothing an NMI does, and it is not read", () => {
    for (const status of cases)
      for (const rip of [0x105, 0x106]) {
        const after = [-1, 0x105, 0x106, RIP_FORGOTTEN, RIP_FORGOTTEN_IN_WINDOW].map((last) => {
          const e = env();
          const w = world(e, [{ event: SAMPLING, counter: 1 }]);
          w.hw.globalStatus = status;
          w.perf.lastNmiRip = last;
          const reads = PERF_WORLD.forgottenReads();
          e.k.nmi.defaultDoNmi(w, e, rip);
          expect(PERF_WORLD.forgottenReads()).toBe(reads);
          return [...PERF_WORLD.words(w)].join(",") + e.obs.printks.join("|");
        });
        expect(new Set(after).size).toBe(1);
      }
  });

  it("with swallow_nmi armed, it is read, and decides whether an unclaimed NMI is swallowed", () => {
    for (const [last, unknown] of [
      [0x105, 0],
      [0x106, 1],
    ] as const) {
      const e = env();
      const w = world(e, [{ event: SAMPLING, counter: 1 }]);
      w.hw.globalStatus = 0b11;
      e.k.nmi.defaultDoNmi(w, e, last);
      expect(w.perf.swallowNmi).toBe(1);
      e.k.nmi.defaultDoNmi(w, e, 0x105);
      expect(w.perf.unknownNmis).toBe(unknown);
    }
  });

  it("forgets it only with swallow_nmi clear, keeping on which side of the window it was", () => {
    const inWindow = (rip: number) => rip >= 0x104 && rip <= 0x108;
    const forgotten = (swallow: number, last: number) => {
      const w = PERF_WORLD.create();
      w.perf.swallowNmi = swallow;
      w.perf.lastNmiRip = last;
      const stored = (x: typeof w) =>
        PERF_WORLD.fields.find((f) => f.path === "perf.lastNmiRip")!.read(PERF_WORLD.words(x));
      forgetDeadRip(w, stored, inWindow);
      const r = stored(w);
      return [r, ripInWindow(r, inWindow)];
    };
    expect(forgotten(1, 0x105)).toEqual([0x105, true]);
    expect(forgotten(1, 0x200)).toEqual([0x200, false]);
    expect(forgotten(0, 0x105)).toEqual([RIP_FORGOTTEN_IN_WINDOW, true]);
    expect(forgotten(0, 0x200)).toEqual([RIP_FORGOTTEN, false]);
    expect(forgotten(0, -1)).toEqual([RIP_FORGOTTEN, false]);
    expect(forgotten(0, RIP_FORGOTTEN_IN_WINDOW)).toEqual([RIP_FORGOTTEN_IN_WINDOW, true]);
  });

  it("a read of a forgotten value through a view is counted", () => {
    const w = PERF_WORLD.create();
    w.perf.lastNmiRip = 0x105;
    const reads = PERF_WORLD.forgottenReads();
    expect(w.perf.lastNmiRip).toBe(0x105);
    expect(PERF_WORLD.forgottenReads()).toBe(reads);
    w.perf.lastNmiRip = RIP_FORGOTTEN;
    expect(w.perf.lastNmiRip).toBe(RIP_FORGOTTEN);
    expect(PERF_WORLD.forgottenReads()).toBe(reads + 1);
  });
});

describe("the NMI's IRET (NmiLayer.iret)", () => {
  it("a PMI the late-ack unmask released has waited NMI_RETURN_INSNS at the IRET", () => {
    const e = env();
    const w = world(e);
    w.hw.pmiPending = 1;
    w.hw.nmiBlocked = 1;
    w.hw.pmiAge = 0;
    e.k.nmi.iret(w);
    expect([w.hw.nmiBlocked, w.hw.pmiAge]).toEqual([0, NMI_RETURN_INSNS]);
  });

  it("a PMI already deliverable before the NMI (another source's) is never made younger", () => {
    const e = env();
    const w = world(e);
    w.hw.pmiPending = 1;
    w.hw.nmiBlocked = 1;
    w.hw.pmiAge = 300;
    e.k.nmi.iret(w);
    expect(w.hw.pmiAge).toBe(300);
  });
});
