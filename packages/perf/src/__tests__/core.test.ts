import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { MAX_INTERRUPTS } from "../perf-event.js";
import { env, GUEST, PEBS, SAMPLING, world } from "./helpers.js";

describe("x86_pmu_start / x86_pmu_stop / x86_pmu_enable (arch/x86/events/core.c)", () => {
  it("starting a PEBS event: events[], active_mask, EVTSEL.EN without INT, cpuc bit, host mask; enable_all writes PEBS_ENABLE then GLOBAL_CTRL", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    expect(w.perf.events[0]).toBe(PEBS + 1);
    expect(w.perf.activeMask).toBe(1);
    expect([w.hw.evtselEn, w.hw.evtselInt]).toEqual([1, 0]);
    expect([w.perf.pebsEnabled, w.hw.pebsEnable, w.perf.hostMask]).toEqual([1, 1, 1]);
    expect(w.hw.globalCtrl).toBe(0x70f);
    const order = e.obs.writes.filter((x) => x.startsWith("wrmsr 0x3f1") || x.startsWith("wrmsr 0x38f"));
    expect(order.slice(-2)).toEqual(["wrmsr 0x3f1 0->1", "wrmsr 0x38f 0->70f"]);
  });

  it("a guest-counter event joins intel_ctrl_guest_mask, so the host GLOBAL_CTRL leaves it out", () => {
    const e = env();
    const w = world(e, [{ event: GUEST, counter: 1 }]);
    expect(w.perf.guestMask).toBe(0b10);
    expect(w.hw.globalCtrl).toBe(0x70f & ~0b10);
    expect(w.hw.evtselInt).toBe(0b10);
  });

  it("stop disables the counter and, for PEBS, clears the cpuc bit; a second stop does nothing at all", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    e.k.x86.x86PmuStop(w, e, PEBS);
    expect([w.perf.activeMask, w.perf.events[0], w.hw.evtselEn, w.perf.pebsEnabled, w.hw.pebsEnable]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    const before = e.obs.writes.length;
    e.k.x86.x86PmuStop(w, e, PEBS);
    expect(e.obs.writes.length).toBe(before);
    expect(e.obs.lines.at(-1)).toContain("not active, nothing to do");
  });

  it("deleting a throttled event writes no MSR: the stale bit survives", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.perf.enabled = 0; // inside a PMI
    e.k.x86.x86PmuStop(w, e, PEBS);
    w.perf.enabled = 1;
    w.hw.pebsEnable = 1; // restored by the VM-exit list
    e.k.x86.x86PmuDisable(w, e);
    e.k.x86.x86PmuDel(w, e, PEBS);
    e.k.x86.x86PmuAdd(w, e, SAMPLING, 0);
    e.k.x86.x86PmuEnable(w, e);
    expect(w.hw.pebsEnable).toBe(1);
    expect(w.perf.pebsEnabled).toBe(0);
    expect([w.hw.evtselEn & 1, w.hw.evtselInt & 1]).toEqual([1, 1]);
  });

  it("x86_pmu_enable and _disable are no-ops when already in that state", () => {
    const e = env();
    const w = world(e);
    const n = e.obs.writes.length;
    e.k.x86.x86PmuEnable(w, e);
    expect(e.obs.writes.length).toBe(n);
    e.k.x86.x86PmuDisable(w, e);
    e.k.x86.x86PmuDisable(w, e);
    expect(e.obs.writes.length).toBe(n + 1);
  });
});

describe("throttling (kernel/events/core.c)", () => {
  it("v5.11: the first interrupt of a tick never throttles; the max_samples_per_tick-th does", () => {
    const e = env({ maxSamplesPerTick: 1 });
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    expect(e.k.events.perfEventOverflow(w, e, PEBS)).toBe(false);
    expect(e.k.events.perfEventOverflow(w, e, PEBS)).toBe(true);
    expect(w.perf.evInterrupts[PEBS]).toBe(MAX_INTERRUPTS);
  });

  for (const kernel of ["v6.16", "v6.1.y"] as const)
    it(`${kernel}: the check is outside the else, so the first interrupt can throttle (6.1.192 l.9377-9390 too)`, () => {
      const e = env({ maxSamplesPerTick: 1, kernel });
      const w = world(e, [{ event: PEBS, counter: 0 }]);
      expect(e.k.events.perfEventOverflow(w, e, PEBS)).toBe(true);
    });

  it("the tick restarts a throttled event and perf_pmu_enable rewrites PEBS_ENABLE", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.perf.enabled = 0;
    w.perf.evInterrupts[PEBS] = 1;
    if (e.k.events.perfEventOverflow(w, e, PEBS)) e.k.x86.x86PmuStop(w, e, PEBS);
    w.perf.enabled = 1;
    expect(w.perf.pebsEnabled).toBe(0);
    e.k.events.perfEventTaskTickSeq(w, e);
    e.k.x86.x86PmuDisable(w, e);
    e.k.events.perfUnthrottleEvents(w, e);
    e.k.x86.x86PmuEnable(w, e);
    expect([w.perf.evInterrupts[PEBS], w.perf.pebsEnabled, w.hw.pebsEnable, w.hw.evtselEn & 1]).toEqual([0, 1, 1, 1]);
  });

  it("the tick resets the per-tick count of events that are not throttled", () => {
    const e = env();
    const w = world(e, [{ event: SAMPLING, counter: 1 }]);
    w.perf.evInterrupts[SAMPLING] = 1;
    e.k.events.perfEventTaskTickSeq(w, e);
    expect(w.perf.evInterrupts[SAMPLING]).toBe(0);
  });
});
