import "reflect-metadata";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer, OTHER_NMIS, withAssumptions } from "@switchlab/model";
import { describe, expect, it } from "vitest";
import { BFS, runCell } from "../matrix/run-cell.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIOS } from "../scenarios/index.js";
import { UPSTREAM } from "./upstream.js";

const profile = builtinProfiles().find((p) => p.id === "emerald-rapids")!;
const scenario = SCENARIOS.find((s) => s.id === "mediated-host-sampling")!;
const PROPERTY = "mediated-guest-counts-only-guest";

function verdict(o: { pmiLatency: number; otherNmis?: number }) {
  const run = runCell(
    createRootContainer(),
    UPSTREAM,
    profile,
    withAssumptions(scenario, o),
    DEFAULT_BOUNDS,
    PROPERTIES.filter((p) => p.id === PROPERTY),
    BFS,
  );
  const c = run.cells.find((x) => x.property === PROPERTY)!;
  return { verdict: c.verdict, actions: c.counterexample?.actions ?? [] };
}

describe("NMIs that are not PMIs (assumptions/other-nmis.ts)", () => {
  // An NMI between kvm_mediated_pmu_load's WRMSR GLOBAL_CTRL = 0 and guest_lvtpc_loaded runs
  // perf_event_nmi_handler -> intel_pmu_handle_irq, whose __intel_pmu_enable_all turns
  // GLOBAL_CTRL back on (cpuc->enabled is 1 after perf_ctx_enable), whatever the NMI's source.
  it("mediated-host-sampling: with other NMIs 0 the GLOBAL_CTRL re-enable needs a late PMI; at PMI latency 1 it holds", () => {
    expect(verdict({ pmiLatency: 1, otherNmis: 0 }).verdict).toBe("holds");
  });

  it("with one other NMI it is found at PMI latency 1, the NMI landing after the WRMSR GLOBAL_CTRL = 0", () => {
    const r = verdict({ pmiLatency: 1, otherNmis: 1 });
    expect(r.verdict).toBe("violated");
    const at = r.actions.findIndex((a) => a.startsWith("other-nmi@"));
    expect(at).toBeGreaterThan(r.actions.indexOf("kvm_mediated_pmu_load:wrmsr-global-ctrl-0"));
    expect(r.actions[at]).toMatch(/^other-nmi@perf_load_guest_lvtpc:/);
  });

  it("a mediated scenario's default is one other NMI (other-nmis.ts defaultOtherNmis), so the default finds it at PMI latency 1", () => {
    expect(OTHER_NMIS.read(scenario)).toBe(1);
    expect(OTHER_NMIS.read(SCENARIOS.find((s) => s.id === "throttle-window")!)).toBe(0);
    expect(verdict({ pmiLatency: 1 }).verdict).toBe("violated");
  });
});
