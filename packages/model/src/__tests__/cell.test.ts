import "reflect-metadata";
import { MSR_IA32_PEBS_ENABLE } from "@switchlab/hardware";
import { type KvmEnv, type KvmWorld, RUN_LOOP, STEP, type SwitchEntry, VMX, Vmx } from "@switchlab/kvm";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";
import { describe, expect, it } from "vitest";
import { buildCell, createRootContainer } from "../cell.js";
import type { ModelEnv } from "../env.js";
import type { World } from "../world.js";
import { cell, profile, runUntil, SCENARIO, UPSTREAM } from "./helpers.js";

@injectable()
class KeepPebsOnLists extends Vmx {
  override wantsSwitch(w: KvmWorld, env: KvmEnv, e: SwitchEntry): boolean {
    return e.msr === MSR_IA32_PEBS_ENABLE || super.wantsSwitch(w, env, e);
  }
}

const overriding = definePolicy<World, ModelEnv>({
  id: "test-override",
  title: "t",
  summary: "t",
  upstream: { cite: "t", url: "https://kernel.org" },
  touches: ["atomic_switch_perf_msrs"],
  register: (c) => {
    c.register(VMX, { useClass: KeepPebsOnLists });
  },
});

const patching = definePolicy<World, ModelEnv>({
  id: "test-patch",
  title: "t",
  summary: "t",
  upstream: { cite: "t", url: "https://kernel.org" },
  touches: ["vmx_vcpu_run"],
  patch: (ed) => {
    ed.insertBefore(RUN_LOOP, STEP.getMsrs, {
      id: "test:skip-switch",
      fn: "vmx_vcpu_run",
      file: "t",
      version: "t",
      insns: 0,
      run: () => STEP.afterSwitch,
    });
  },
});

describe("cells and composition", () => {
  it("a policy's registration overrides a service in its own cell only", () => {
    const root = createRootContainer();
    const a = buildCell(root, overriding, profile(), SCENARIO);
    const b = buildCell(root, UPSTREAM, profile(), SCENARIO);
    expect(a.env.kk.vmx).toBeInstanceOf(KeepPebsOnLists);
    expect(b.env.kk.vmx).not.toBeInstanceOf(KeepPebsOnLists);
    expect(root.resolve(VMX)).not.toBeInstanceOf(KeepPebsOnLists);
  });

  it("a policy's patch changes the step sequence and is recorded", () => {
    const c = cell({}, patching);
    expect(c.edits).toEqual([
      { op: "insert-before", sequence: RUN_LOOP, step: STEP.getMsrs, newStep: "test:skip-switch" },
    ]);
    const w = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
    expect(w.hw.entryList.length).toBe(0);
    expect(w.hw.pebsEnable).toBe(1);
  });

  it("cells share the upstream steps, frozen with their functions, and a patch in one cell changes no other", () => {
    const root = createRootContainer();
    const a = buildCell(root, patching, profile(), SCENARIO);
    const b = buildCell(root, UPSTREAM, profile(), SCENARIO);
    const c = buildCell(root, UPSTREAM, profile(), SCENARIO);
    const steps = b.env.seq.runLoop.steps;
    expect(c.env.seq.runLoop.steps).toEqual(steps);
    steps.forEach((s, i) => {
      expect(c.env.seq.runLoop.steps[i]).toBe(s);
      expect(Object.isFrozen(s) && Object.isFrozen(s.run)).toBe(true);
    });
    expect(() => {
      (steps[0]!.run as unknown as Record<string, unknown>).patched = true;
    }).toThrow(TypeError);
    expect(a.env.seq.runLoop.steps.some((s) => s.id === "test:skip-switch")).toBe(true);
    expect(b.env.seq.runLoop.steps.some((s) => s.id === "test:skip-switch")).toBe(false);
  });

  it("v6.16 handles an NMI exit right after the VM-exit, before the fastpath decision", () => {
    const c = cell({ kernel: "v6.16" });
    const ids = c.env.seq.runLoop.steps.map((s) => s.id);
    expect(ids.indexOf(STEP.handleNmiV616)).toBe(ids.indexOf(STEP.guest) + 1);
    expect(ids.indexOf(STEP.fastpath)).toBeGreaterThan(ids.indexOf(STEP.handleNmiV616));
    expect(cell().env.seq.runLoop.steps.some((s) => s.id === STEP.handleNmiV616)).toBe(false);
  });

  it("every step names its kernel function, file and version", () => {
    const c = buildCell(createRootContainer(), UPSTREAM, profile(), SCENARIO);
    for (const seq of [c.env.seq.runLoop, c.env.seq.tick, c.env.seq.sched]) {
      for (const s of seq.steps) {
        expect(s.fn).toMatch(/^[a-z_0-9]+$/);
        expect(s.file.length).toBeGreaterThan(0);
        expect(s.version).toMatch(/^(v5\.11|v6\.16|SDM)$/);
      }
    }
  });
});
