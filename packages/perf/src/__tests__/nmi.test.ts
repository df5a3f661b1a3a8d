import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { NMI_RETURN_INSNS, unknownNmiMessage } from "../nmi.js";
import { env, SAMPLING, world } from "./helpers.js";

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
