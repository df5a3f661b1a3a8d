import "reflect-metadata";
import { type KvmEnv, type KvmWorld, RUN_LOOP, STEP, type SwitchEntry, VMX, Vmx } from "@switchlab/kvm";
import { INTEL_CORE, IntelCore, type PerfEnv, type PerfWorld } from "@switchlab/perf";
import { definePolicy, type PolicyDefinition, step } from "@switchlab/policy-api";
import { injectable } from "tsyringe";
import { afterEach, describe, expect, it } from "vitest";
import { createRootContainer } from "../cell.js";
import type { ModelEnv } from "../env.js";
import { policyChanges, unchangedWhere } from "../policy-changes.js";
import { emptyReach, recordReach } from "../reach.js";
import type { World } from "../world.js";
import { cell, runUntil, SCENARIO, UPSTREAM } from "./helpers.js";

const root = createRootContainer();
const policy = (id: string, p: Pick<PolicyDefinition<World, ModelEnv>, "register" | "patch" | "stateSlots"> = {}) =>
  definePolicy<World, ModelEnv>({
    id,
    title: "t",
    summary: "t",
    upstream: { cite: "t", url: "https://kernel.org" },
    touches: [],
    ...p,
  });
const testStep = (id: string) => step<World, ModelEnv>(id, "test_fn", "t.c", "v5.11", 1, () => undefined);

@injectable()
class VmxKeepsPebs extends Vmx {
  override wantsSwitch(w: KvmWorld, env: KvmEnv, e: SwitchEntry): boolean {
    return super.wantsSwitch(w, env, e);
  }
}

@injectable()
class IntelCoreTwoLevels extends IntelCore {
  override intelPmuHandleIrq(w: PerfWorld, env: PerfEnv): number {
    return super.intelPmuHandleIrq(w, env);
  }
}
@injectable()
class IntelCoreTwoLevelsMore extends IntelCoreTwoLevels {
  override perfGuestGetMsrs(...a: Parameters<IntelCore["perfGuestGetMsrs"]>) {
    return super.perfGuestGetMsrs(...a);
  }
}

afterEach(() => recordReach(undefined));

describe("what a policy changes against upstream (policyChanges)", () => {
  it("upstream changes nothing", () => {
    expect(policyChanges(root, UPSTREAM, SCENARIO)).toEqual({ methods: [], steps: [] });
  });

  it("a service subclass changes the methods it defines, at every level of its chain", () => {
    const one = policy("t-one", { register: (c) => void c.register(VMX, { useClass: VmxKeepsPebs }) });
    expect(policyChanges(root, one, SCENARIO)).toEqual({ methods: ["vmx.wantsSwitch"], steps: [] });
    const two = policy("t-two", { register: (c) => void c.register(INTEL_CORE, { useClass: IntelCoreTwoLevelsMore }) });
    expect(policyChanges(root, two, SCENARIO)).toEqual({
      methods: ["intel.intelPmuHandleIrq", "intel.perfGuestGetMsrs"],
      steps: [],
    });
  });

  it("a step whose run is replaced is that step alone", () => {
    const p = policy("t-run", { patch: (ed) => void ed.replaceRun(RUN_LOOP, STEP.timers, () => undefined) });
    expect(policyChanges(root, p, SCENARIO)).toEqual({ methods: [], steps: [`${RUN_LOOP}/${STEP.timers}`] });
  });

  it("a step inserted changes the step before it, the step it precedes, and every step it moves", () => {
    const p = policy("t-ins", { patch: (ed) => void ed.insertBefore(RUN_LOOP, STEP.timers, testStep("t:new")) });
    const upstream = cell().env.seq.runLoop.steps.map((s) => s.id);
    const at = upstream.indexOf(STEP.timers);
    const c = policyChanges(root, p, SCENARIO);
    // The step before falls through to the new one; a jump to timers lands on it; the rest moved.
    expect(c).toEqual({
      methods: [],
      steps: upstream
        .slice(at - 1)
        .map((id) => `${RUN_LOOP}/${id}`)
        .sort(),
    });
    const after = policy("t-after", { patch: (ed) => void ed.insertAfter(RUN_LOOP, STEP.timers, testStep("t:new")) });
    expect(policyChanges(root, after, SCENARIO)).toEqual({
      methods: [],
      steps: upstream
        .slice(at)
        .map((id) => `${RUN_LOOP}/${id}`)
        .sort(),
    });
  });

  it("cannot compare a policy with state slots, a removed step, or a service that is not upstream's subclass", () => {
    expect(policyChanges(root, policy("t-slots", { stateSlots: 1 }), SCENARIO)).toEqual({
      incomparable: "it adds state slots",
    });
    const removes = policy("t-rm", { patch: (ed) => void ed.remove(RUN_LOOP, STEP.timers) });
    expect(policyChanges(root, removes, SCENARIO)).toHaveProperty("incomparable");
    const proxied = policy("t-proxy", {
      register: (c) => void c.register(VMX, { useValue: new Proxy(new Vmx(), {}) }),
    });
    expect(policyChanges(root, proxied, SCENARIO)).toEqual({ incomparable: "its vmx is not an instance of Vmx" });
    const plain = policy("t-plain", {
      register: (c) => void c.register(VMX, { useValue: { wantsSwitch: () => true } as unknown as Vmx }),
    });
    expect(policyChanges(root, plain, SCENARIO)).toHaveProperty("incomparable");
    const field = Object.assign(new Vmx(), { extra: 1 });
    const withField = policy("t-field", { register: (c) => void c.register(VMX, { useValue: field }) });
    expect(policyChanges(root, withField, SCENARIO)).toEqual({ incomparable: "its vmx has fields of its own (extra)" });
  });

  it("a patch cannot change an upstream step in place", () => {
    const p = policy("t-mutate", {
      patch: (ed) => {
        const steps = (ed as unknown as { seqs: Map<string, { steps: { run: unknown }[] }> }).seqs.get(RUN_LOOP)!.steps;
        (steps[0] as { run: unknown }).run = () => undefined;
      },
    });
    expect(() => policyChanges(root, p, SCENARIO)).toThrow(TypeError);
  });
});

describe("what a row reaches (recordReach)", () => {
  it("notes the steps run and the service methods called, only while recording", () => {
    const r = emptyReach();
    recordReach(r);
    const c = cell();
    recordReach(undefined);
    const quiet = cell();
    // Building the cell ran no step, but perf's own paths made the initial world (initialWorld).
    expect(r.steps.size).toBe(0);
    expect(r.methods).toContain("x86.x86PmuAdd");
    // Up to the first VM-entry: the switch code ran, the exit handlers did not.
    runUntil(c, c.initial, (w) => w.kvm.pc === c.env.seq.runLoop.at(STEP.guest));
    runUntil(quiet, quiet.initial, (w) => w.kvm.pc === quiet.env.seq.runLoop.at(STEP.guest));
    expect(r.steps).toContain(`${RUN_LOOP}/${STEP.getMsrs}`);
    expect(r.steps).not.toContain(`${RUN_LOOP}/${STEP.handleExitIrqoff}`);
    expect(r.methods).toContain("intel.perfGuestGetMsrs");
    expect(r.methods).toContain("vmx.wantsSwitch");
    expect(r.methods).not.toContain("intel.intelPmuHandleIrq");
    // The cell built without a recorder has no wrappers.
    expect(Object.getOwnPropertyNames(quiet.env.k.intel)).toEqual([]);
  });

  it("a policy is upstream's on a row exactly when nothing it changes was reached", () => {
    const r = emptyReach();
    recordReach(r);
    const c = cell();
    recordReach(undefined);
    runUntil(c, c.initial, (w) => w.kvm.pc === c.env.seq.runLoop.at(STEP.guest));
    const reach = { methods: [...r.methods], steps: [...r.steps] };
    const irq = policy("t-irq", { register: (k) => void k.register(INTEL_CORE, { useClass: IntelCoreTwoLevels }) });
    expect(unchangedWhere(policyChanges(root, irq, SCENARIO), reach)).toBe(true);
    const get = policy("t-get", { register: (k) => void k.register(INTEL_CORE, { useClass: IntelCoreTwoLevelsMore }) });
    expect(unchangedWhere(policyChanges(root, get, SCENARIO), reach)).toBe(false);
    expect(unchangedWhere({ incomparable: "x" }, reach)).toBe(false);
  });
});
