import { describe, expect, it } from "vitest";
import { DS_HOST } from "../debug-store.js";
import { evtselValue, MsrAccessError, rdmsr, wrmsr } from "../msr-file.js";
import {
  archHex,
  MSR_CORE_PERF_GLOBAL_CTRL,
  MSR_CORE_PERF_GLOBAL_OVF_CTRL,
  MSR_CORE_PERF_GLOBAL_STATUS,
  MSR_IA32_DS_AREA,
  MSR_IA32_PEBS_ENABLE,
  MSR_IA32_PERFCTR0,
  MSR_P6_EVNTSEL0,
  STATUS_BUFFER_OVF,
  toArchitectural,
} from "../msr-index.js";
import { msrName } from "../msr-names.js";
import { initialHwState } from "../state.js";
import { recorder } from "./helpers.js";

describe("MSR file", () => {
  it("writes and reads back PEBS_ENABLE, DS_AREA and GLOBAL_CTRL, reporting each write", () => {
    const s = initialHwState();
    const obs = recorder();
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 0b1, obs);
    wrmsr(s, MSR_IA32_DS_AREA, DS_HOST, obs);
    wrmsr(s, MSR_CORE_PERF_GLOBAL_CTRL, 0b11, obs);
    expect([rdmsr(s, MSR_IA32_PEBS_ENABLE), rdmsr(s, MSR_IA32_DS_AREA), rdmsr(s, MSR_CORE_PERF_GLOBAL_CTRL)]).toEqual([
      1,
      DS_HOST,
      3,
    ]);
    expect(obs.writes.map((w) => [w.kind, msrName(w.msr), w.before, w.after])).toEqual([
      ["wrmsr", "PEBS_ENABLE", 0, 1],
      ["wrmsr", "DS_AREA", 0, DS_HOST],
      ["wrmsr", "GLOBAL_CTRL", 0, 3],
    ]);
  });

  it("sets EVTSEL.EN and EVTSEL.INT per counter", () => {
    const s = initialHwState();
    wrmsr(s, MSR_P6_EVNTSEL0 + 2, evtselValue(true, true), recorder());
    wrmsr(s, MSR_P6_EVNTSEL0 + 1, evtselValue(true, false), recorder());
    expect(s.evtselEn).toBe(0b110);
    expect(s.evtselInt).toBe(0b100);
    wrmsr(s, MSR_P6_EVNTSEL0 + 2, evtselValue(false, false), recorder());
    expect([s.evtselEn, s.evtselInt]).toEqual([0b010, 0]);
    expect(rdmsr(s, MSR_P6_EVNTSEL0 + 1)).toBe(1 << 22);
  });

  it("clears GLOBAL_STATUS bits written to GLOBAL_OVF_CTRL and refuses writes to GLOBAL_STATUS", () => {
    const s = initialHwState();
    s.globalStatus = 0b101 | STATUS_BUFFER_OVF;
    wrmsr(s, MSR_CORE_PERF_GLOBAL_OVF_CTRL, 0b001 | STATUS_BUFFER_OVF, recorder());
    expect(s.globalStatus).toBe(0b100);
    expect(() => wrmsr(s, MSR_CORE_PERF_GLOBAL_STATUS, 0, recorder())).toThrow(MsrAccessError);
  });

  it("accepts PMC writes (values abstracted) and refuses unmodelled MSRs", () => {
    const s = initialHwState();
    expect(() => wrmsr(s, MSR_IA32_PERFCTR0, 123, recorder())).not.toThrow();
    expect(() => wrmsr(s, 0x1234, 1, recorder())).toThrow(/unmodelled MSR 0x1234/);
  });

  it("renders compressed masks as architectural values", () => {
    expect(toArchitectural((1 << 8) | 1)).toBe((1n << 32n) | 1n);
    expect(archHex(STATUS_BUFFER_OVF | 2)).toBe("0x4000000000000002");
    expect(msrName(MSR_P6_EVNTSEL0 + 3)).toBe("EVTSEL3");
  });
});
