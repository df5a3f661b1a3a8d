import { builtinProfiles, type HardwareProfile } from "@switchlab/hardware";
import { hostPebsEvent, hostSamplingEvent } from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { buildCell, type Cell, createRootContainer, type Policy } from "../cell.js";
import type { ModelEnv } from "../env.js";
import type { Scenario } from "../scenario.js";
import type { World } from "../world.js";

/** The upstream model with no changes (the real `original` plugin lives in policies/). */
export const UPSTREAM: Policy = definePolicy<World, ModelEnv>({
  id: "upstream-for-tests",
  title: "upstream",
  summary: "no changes",
  upstream: { cite: "v5.11", url: "https://kernel.org" },
  touches: [],
});

export const SCENARIO: Scenario = {
  id: "unit",
  title: "unit-test scenario",
  kernel: "v5.11",
  events: [hostPebsEvent("cycles:pp"), hostSamplingEvent("instructions")],
  initial: [{ event: "cycles:pp", counter: 0, interrupts: 1 }],
  maxSamplesPerTick: 2,
  overflows: { counters: [0], budget: 1 },
  nmiBudget: 1,
  tickBudget: 1,
  activities: [{ id: "swap", title: "swap", remove: ["cycles:pp"], add: [{ event: "instructions", counter: 0 }] }],
  exits: ["slow", "fastpath"],
  vcpu: { hasPmu: true },
  maxRoundTrips: 2,
  otherMsrs: 0,
  staleBound: 1,
  guards: [],
};

export function profile(id = "skylake-server-no-isolation"): HardwareProfile {
  const p = builtinProfiles().find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p;
}

export function cell(sc: Partial<Scenario> = {}, policy: Policy = UPSTREAM, prof = profile()): Cell {
  return buildCell(createRootContainer(), policy, prof, { ...SCENARIO, ...sc });
}

/** Take the first enabled step (or exit) until the predicate holds. */
export function runUntil(c: Cell, w: World, stop: (w: World) => boolean, max = 100): World {
  let cur = w;
  for (let i = 0; i < max && !stop(cur); i++) {
    const a = c.machine.actions(cur).find((x) => x.kind === "step" || x.kind === "exit");
    if (!a) break;
    cur = c.machine.apply(cur, a);
  }
  return cur;
}
