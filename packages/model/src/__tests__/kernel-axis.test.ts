import "reflect-metadata";
import { STEP } from "@switchlab/kvm";
import { hostPebsEvent, KERNEL_VERSIONS, kernelAtLeast, kernelHas, parseKernelVersion } from "@switchlab/perf";
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
    expect(parseKernelVersion("6.1.y")).toBe("v6.1.y");
    expect(parseKernelVersion("v6.1")).toBeUndefined();
  });

  it("v6.1.y is a stable tree: neither at least v6.16 nor below it, each having what the other lacks", () => {
    expect(kernelAtLeast("v6.1.y", "v5.11")).toBe(true);
    expect(kernelAtLeast("v6.1.y", "v6.16")).toBe(false);
    expect(kernelAtLeast("v6.16", "v6.1.y")).toBe(false);
    expect(kernelAtLeast("v7.3", "v6.1.y")).toBe(true);
    expect(kernelAtLeast("v6.1.y", "v7.3")).toBe(false);
    // What 6.1.192 has of v6.16 (kvm_pmu argument, first-interrupt throttle) and of the 2026 series.
    expect(kernelHas("v6.1.y", "kvm-pmu-arg")).toBe(true);
    expect(kernelHas("v6.1.y", "first-interrupt-throttles")).toBe(true);
    expect(kernelHas("v6.1.y", "guest-pebs-no-pebs-enable")).toBe(true);
    expect(kernelHas("v6.16", "guest-pebs-no-pebs-enable")).toBe(false);
    // What it lacks: the NMI exit in vmx_vcpu_enter_exit (6.2), 87524d58/22ff4b9b, KVM_BUG_ON, the mediated vPMU.
    for (const f of [
      "nmi-exit-in-enter-exit",
      "ds-area-only-for-guest-pebs",
      "list-full-kills-vm",
      "mediated-vpmu",
    ] as const)
      expect(kernelHas("v6.1.y", f)).toBe(false);
  });

  it("among the mainline versions kernelAtLeast is their release order", () => {
    const mainline = KERNEL_VERSIONS.filter((k) => k !== "v6.1.y");
    for (const [i, a] of mainline.entries())
      for (const [j, b] of mainline.entries()) expect(kernelAtLeast(a, b)).toBe(i >= j);
  });

  it("v6.1.y: the vCPU gets a kvm_pmu, the first interrupt of a tick can throttle, the NMI exit is handled in handle_exit_irqoff", () => {
    const c = cell({ kernel: "v6.1.y" });
    expect(c.env.kvm.kvmPmu).not.toBeNull();
    const ids = c.env.seq.runLoop.steps.map((s) => s.id);
    expect(ids).not.toContain(STEP.handleNmiV616);
    expect(ids).toContain(STEP.handleExitIrqoff);
    expect(cell({ kernel: "v6.16" }).env.seq.runLoop.steps.map((s) => s.id)).toContain(STEP.handleNmiV616);
  });

  it("the mediated scenarios are not applicable at v6.1.y", () => {
    const sc = { ...SCENARIO, minKernel: "v7.3", minKernelWhy: "the mediated vPMU" } as Scenario;
    expect(scenarioNotApplicable(atKernel(sc, "v6.1.y"), profile())).toMatch(/needs v7\.3 or later/);
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
    for (const k of KERNEL_VERSIONS) {
      const c = cell({ kernel: k });
      expect(c.env.seq.runLoop.steps.find((s) => s.id === STEP.getMsrs)?.version).toBe(k);
    }
  });
});

describe("a full MSR autoload list, per version", () => {
  for (const k of ["v5.11", "v6.1.y", "v6.16"] as const)
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
