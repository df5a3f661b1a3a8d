import "reflect-metadata";
import { STEP } from "@switchlab/kvm";
import { hostPebsEvent, kernelAtLeast, parseKernelVersion } from "@switchlab/perf";
import { describe, expect, it } from "vitest";
import { atKernel, type Scenario, scenarioNotApplicable } from "../scenario.js";
import { cell, profile, runUntil, SCENARIO } from "./helpers.js";

/** Other MSRs fill both autoload lists, so perf's PEBS_ENABLE entry does not fit. */
const FULL: Partial<Scenario> = {
  events: [hostPebsEvent("cycles:pp")],
  initial: [{ event: "cycles:pp", counter: 0 }],
  activities: [],
  otherMsrs: 8,
  exits: ["slow"],
  maxRoundTrips: 3,
};

describe("the kernel version as a parameter", () => {
  it("orders versions and parses --kernel spellings", () => {
    expect(kernelAtLeast("v7.3", "v6.16")).toBe(true);
    expect(kernelAtLeast("v5.11", "v6.16")).toBe(false);
    expect(parseKernelVersion("7.3")).toBe("v7.3");
    expect(parseKernelVersion("v6.1")).toBeUndefined();
  });

  it("atKernel keeps the id at the scenario's own version and suffixes it otherwise", () => {
    const sc = { ...SCENARIO, id: "s" } as Scenario;
    expect(atKernel(sc, "v5.11").id).toBe("s");
    expect(atKernel(sc, "v7.3")).toMatchObject({ id: "s@v7.3", kernel: "v7.3" });
    expect(atKernel(atKernel(sc, "v7.3"), "v6.16", "v5.11").id).toBe("s@v6.16");
  });

  it("a scenario below its minimum version is not applicable, with the reason", () => {
    const sc = { ...SCENARIO, minKernel: "v7.3", minKernelWhy: "the mediated vPMU" } as Scenario;
    expect(scenarioNotApplicable(sc, profile())).toMatch(/needs v7\.3 or later \(the mediated vPMU\)/);
    expect(scenarioNotApplicable(atKernel(sc, "v7.3"), profile())).toBeUndefined();
  });

  it("the steps name the version they follow", () => {
    for (const k of ["v5.11", "v6.16", "v7.3"] as const) {
      const c = cell({ kernel: k });
      expect(c.env.seq.runLoop.steps.find((s) => s.id === STEP.getMsrs)?.version).toBe(k);
    }
  });
});

describe("a full MSR autoload list, per version", () => {
  for (const k of ["v5.11", "v6.16"] as const)
    it(`${k}: add_atomic_switch_msr printk_once's and leaves the MSR unswitched; the VM runs on`, () => {
      const c = cell({ ...FULL, kernel: k });
      const w = runUntil(c, c.initial, (x) => c.machine.isDone(x), 400);
      expect(w.kvm.unswitched).toBe(1);
      expect(w.kvm.vmDead).toBe(0);
      expect(w.kvm.roundTrips).toBe(3);
    });

  it("v7.3: vmx_add_auto_msr's KVM_BUG_ON kills the VM; this entry goes ahead, the next vcpu_enter_guest returns -EIO", () => {
    const c = cell({ ...FULL, kernel: "v7.3" });
    const w = runUntil(c, c.initial, (x) => c.machine.isDone(x), 400);
    expect(w.kvm.vmDead).toBe(1);
    expect(w.kvm.roundTrips).toBe(1);
  });
});
