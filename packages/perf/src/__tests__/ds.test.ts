import "reflect-metadata";
import { pebsRecordAppend } from "@switchlab/hardware";
import { describe, expect, it } from "vitest";
import { env, PEBS, world } from "./helpers.js";

describe("intel_pmu_pebs_enable / _disable (ds.c)", () => {
  it("enable sets the cpuc bit, clears INT in the config, and never writes the MSR", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.perf.pebsEnabled = 0;
    w.hw.pebsEnable = 0;
    e.obs.writes.length = 0;
    e.k.ds.intelPmuPebsEnable(w, e, PEBS);
    expect(w.perf.pebsEnabled).toBe(1);
    expect(w.perf.evConfigInt & 1).toBe(0);
    expect(e.obs.writes).toEqual([]);
  });

  it("disable writes the MSR only if cpuc->enabled, and sets INT back", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.perf.enabled = 0;
    e.k.ds.intelPmuPebsDisable(w, e, PEBS);
    expect([w.perf.pebsEnabled, w.hw.pebsEnable, w.perf.evConfigInt & 1]).toEqual([0, 1, 1]);
    w.perf.pebsEnabled = 1;
    w.perf.enabled = 1;
    e.k.ds.intelPmuPebsDisable(w, e, PEBS);
    expect([w.perf.pebsEnabled, w.hw.pebsEnable]).toEqual([0, 0]);
  });

  it("enable_all and disable_all write only when cpuc->pebs_enabled != 0", () => {
    const e = env();
    const w = world(e);
    w.hw.pebsEnable = 1; // a stale bit: nothing rewrites it while perf's value is 0
    e.k.ds.intelPmuPebsEnableAll(w, e);
    e.k.ds.intelPmuPebsDisableAll(w, e);
    expect(w.hw.pebsEnable).toBe(1);
    w.perf.pebsEnabled = 2;
    e.k.ds.intelPmuPebsEnableAll(w, e);
    expect(w.hw.pebsEnable).toBe(2);
    e.k.ds.intelPmuPebsDisableAll(w, e);
    expect(w.hw.pebsEnable).toBe(0);
  });
});

describe("drain_pebs", () => {
  it("resets pebs_index and sends the last record of an active PEBS event through perf_event_overflow", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    w.hw.pebsRecords = pebsRecordAppend(pebsRecordAppend(0, 0), 0);
    e.k.ds.drainPebs(w, e);
    expect(w.hw.pebsRecords).toBe(0);
    expect(w.perf.evInterrupts[PEBS]).toBe(1);
  });

  it("drops a record whose counter is not in cpuc->pebs_enabled", () => {
    const e = env();
    const w = world(e);
    w.hw.pebsRecords = pebsRecordAppend(0, 0);
    e.k.ds.drainPebs(w, e);
    expect(e.obs.lines.join("\n")).toContain("dropped (counter not in cpuc->pebs_enabled): 0");
    expect([...w.perf.evInterrupts.subarray(0, 3)]).toEqual([0, 0, 0]);
  });

  it("WARNs and skips a counter whose cpuc->events slot is NULL", () => {
    const e = env();
    const w = world(e);
    w.perf.pebsEnabled = 1;
    w.hw.pebsRecords = pebsRecordAppend(0, 0);
    e.k.ds.drainPebs(w, e);
    expect(e.obs.lines.join("\n")).toContain("WARN_ON_ONCE(!event) for counter 0");
  });
});

describe("adaptive PEBS (pebs_baseline)", () => {
  it("intel_pmu_pebs_enable writes PEBS_DATA_CFG when the event asks for groups the MSR lacks, and only then", () => {
    const e = env({ pmu: { pebsBaseline: true, pebsAll: true } });
    const events = [{ name: "mem", precise: true, excludeGuest: true, excludeHost: false, pebsDataCfg: 1 }];
    const e2 = { ...e, perf: { ...e.perf, events } };
    const w = world(e2);
    e2.k.x86.x86PmuDisable(w, e2);
    e2.k.x86.x86PmuAdd(w, e2, 0, 0);
    e2.k.x86.x86PmuEnable(w, e2);
    expect(w.hw.pebsDataCfg).toBe(1);
    expect(e2.obs.writes.filter((x) => x.startsWith("wrmsr 0x3f2"))).toEqual(["wrmsr 0x3f2 0->1"]);
    e2.k.x86.x86PmuStop(w, e2, 0);
    e2.k.x86.x86PmuStart(w, e2, 0);
    expect(e2.obs.writes.filter((x) => x.startsWith("wrmsr 0x3f2"))).toHaveLength(1);
  });

  it("without pebs_baseline PEBS_DATA_CFG is never written", () => {
    const e = env();
    const w = world(e, [{ event: PEBS, counter: 0 }]);
    expect(w.hw.pebsDataCfg).toBe(0);
  });
});
