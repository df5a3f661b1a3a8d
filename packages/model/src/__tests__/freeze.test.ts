import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { deepFreeze } from "../freeze.js";
import { cell } from "./helpers.js";

/**
 * What a cell shares reaches policy code read-only: every write below is what a broken hook
 * might do, and each must throw (the row becomes `error`) instead of changing later rows.
 */
describe("what a cell shares is frozen", () => {
  const c = cell();
  const writes: readonly [string, () => void][] = [
    ["a scenario field", () => ((c.scenario as { nmiBudget: number }).nmiBudget = 9)],
    ["a scenario list, in place", () => (c.scenario.overflows.counters as number[]).push(3)],
    ["a scenario event", () => ((c.scenario.events[0] as { name: string }).name = "x")],
    ["a profile field", () => ((c.profile as { listCapacity: number }).listCapacity = 1)],
    ["the environment", () => ((c.env as { stateSlots: number }).stateSlots = 3)],
    ["the hardware configuration", () => ((c.env.hw as unknown as Record<string, unknown>).x = 1)],
    ["perf's configuration", () => ((c.env.perf as { maxSamplesPerTick: number }).maxSamplesPerTick = 0)],
    ["KVM's configuration", () => ((c.env.kvm as { listCapacity: number }).listCapacity = 0)],
    ["a step sequence, in place", () => (c.env.seq.runLoop.steps as unknown[]).reverse()],
    ["a kernel service", () => ((c.env.k.intel as unknown as Record<string, unknown>).perfGuestGetMsrs = () => [])],
    ["KVM's services", () => ((c.env.kk as unknown as Record<string, unknown>).vmx = {})],
  ];
  it.each(writes)("a write to %s throws a TypeError", (_what, write) => {
    expect(write).toThrow(TypeError);
  });

  it("leaves typed arrays (a state's words) writable, and freezes each object once", () => {
    const words = new Int32Array(2);
    const o = deepFreeze({ words, inner: { a: [1] } });
    words[0] = 5;
    expect(words[0]).toBe(5);
    expect(Object.isFrozen(o.inner.a)).toBe(true);
    expect(deepFreeze(o)).toBe(o);
  });
});
