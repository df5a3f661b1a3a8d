import { describe, expect, it } from "vitest";
import { PMI_SRC_OVERFLOW, PMI_SRC_PEBS } from "../apic.js";
import { DS_HOST, pebsRecordCounters } from "../debug-store.js";
import { PMC_PERIOD, rdmsr, wrmsr } from "../msr-file.js";
import { MSR_IA32_PEBS_ENABLE, MSR_IA32_PERFCTR0, STATUS_BUFFER_OVF } from "../msr-index.js";
import { fixedCounting, gpCounting, overflowFixed, overflowGp } from "../pmu.js";
import { initialHwState } from "../state.js";
import { CFG, recorder } from "./helpers.js";

describe("counting", () => {
  it("a GP counter counts only with EVTSEL.EN and its GLOBAL_CTRL bit", () => {
    const s = initialHwState();
    s.evtselEn = 0b0011;
    s.globalCtrl = 0b0110;
    expect(gpCounting(s, CFG)).toBe(0b0010);
  });

  it("counters beyond the profile's count never count", () => {
    const s = initialHwState();
    s.evtselEn = 0xff;
    s.globalCtrl = 0xff;
    expect(gpCounting(s, CFG)).toBe(0b1111);
  });

  it("a fixed counter counts with its FIXED_CTR_CTRL enable and GLOBAL_CTRL bit 32 + j", () => {
    const s = initialHwState();
    s.fixedEn = 0b011;
    s.globalCtrl = 0b010 << 8;
    expect(fixedCounting(s, CFG)).toBe(0b010);
  });
});

describe("overflow", () => {
  it("with EVTSEL.INT only: status bit k and one PMI", () => {
    const s = initialHwState();
    s.evtselInt = 0b10;
    overflowGp(s, 1, CFG, recorder());
    expect(s.globalStatus).toBe(0b10);
    expect(s.pmiPending).toBe(1);
  });

  it("without INT or PEBS: status bit k, no PMI", () => {
    const s = initialHwState();
    overflowGp(s, 0, CFG, recorder());
    expect([s.globalStatus, s.pmiPending]).toEqual([1, 0]);
  });

  it("with PEBS_ENABLE bit k only (root): a PEBS assist, BUFFER_OVF and one PMI, no status bit k", () => {
    const s = initialHwState();
    s.pebsEnable = 0b1;
    s.dsArea = DS_HOST;
    overflowGp(s, 0, CFG, recorder());
    expect(s.globalStatus).toBe(STATUS_BUFFER_OVF);
    expect(s.pmiPending).toBe(PMI_SRC_PEBS);
    expect(pebsRecordCounters(s.pebsRecords)).toEqual([0]);
  });

  it("with both PEBS_ENABLE bit k and INT: both happen, two PMIs", () => {
    const s = initialHwState();
    s.pebsEnable = 0b1;
    s.evtselInt = 0b1;
    s.dsArea = DS_HOST;
    overflowGp(s, 0, CFG, recorder());
    expect(s.globalStatus).toBe(STATUS_BUFFER_OVF | 1);
    expect(s.pmiPending).toBe(PMI_SRC_OVERFLOW | PMI_SRC_PEBS);
  });

  it("a fixed counter overflow sets status bit 32 + j and raises a PMI", () => {
    const s = initialHwState();
    overflowFixed(s, 2, recorder());
    expect(s.globalStatus).toBe(1 << 10);
    expect(s.pmiPending).toBe(1);
  });
});

describe("re-arming (an overflow wraps the counter; software writes the next period)", () => {
  it("an overflow disarms the counter and a WRMSR of IA32_PMCk with a period arms it again", () => {
    const s = initialHwState();
    s.evtselEn = 1;
    s.evtselInt = 1;
    s.globalCtrl = 1;
    wrmsr(s, MSR_IA32_PERFCTR0, PMC_PERIOD, recorder());
    expect(s.ctrArmed).toBe(1);
    expect(rdmsr(s, MSR_IA32_PERFCTR0)).toBe(PMC_PERIOD);
    overflowGp(s, 0, CFG, recorder());
    expect(s.ctrArmed).toBe(0);
    expect(rdmsr(s, MSR_IA32_PERFCTR0)).toBe(0);
    wrmsr(s, MSR_IA32_PERFCTR0 + 1, PMC_PERIOD, recorder());
    expect(s.ctrArmed).toBe(0b10);
    wrmsr(s, MSR_IA32_PERFCTR0 + 1, 0, recorder());
    expect(s.ctrArmed).toBe(0);
  });
});

describe("latent PEBS assists (SDM Vol. 3B, Re-configuring PEBS Facilities)", () => {
  it("clearing a counting counter's PEBS_ENABLE bit leaves it latent with its own age; setting it again ends that", () => {
    const s = initialHwState();
    s.evtselEn = 0b11;
    s.globalCtrl = 0b11;
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 0b11, recorder());
    s.pebsLatentAge[1] = 7;
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 0b10, recorder());
    expect(s.pebsLatent).toBe(0b01);
    expect([s.pebsLatentAge[0], s.pebsLatentAge[1]]).toEqual([0, 7]);
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 0, recorder());
    expect(s.pebsLatent).toBe(0b11);
    expect(s.pebsLatentAge[1]).toBe(0);
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 0b01, recorder());
    expect(s.pebsLatent).toBe(0b10);
  });

  it("a counter that was not counting leaves nothing latent", () => {
    const s = initialHwState();
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 1, recorder());
    wrmsr(s, MSR_IA32_PEBS_ENABLE, 0, recorder());
    expect(s.pebsLatent).toBe(0);
  });
});
