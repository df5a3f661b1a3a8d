import "reflect-metadata";
import { fileURLToPath } from "node:url";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer, type Scenario, withAssumptions } from "@switchlab/model";
import { definePolicy, type PolicyDefinition } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import { BFS, runCell } from "../matrix/run-cell.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIOS } from "../scenarios/index.js";

/**
 * The mediated-path mutants of fixtures/mutants (written through the plugin API like a policy,
 * kept outside policies/ so no matrix runs them): each is violated, with the mediated guest's
 * default write budget, where upstream (the `original` policy: no changes, v7.3) holds.
 */
const MUTANTS = fileURLToPath(new URL("../../../../fixtures/mutants/", import.meta.url));

async function mutant(name: string) {
  const mod = (await import(`${MUTANTS}${name}/index.js`)) as {
    default: PolicyDefinition<unknown, unknown> & { contract?: number };
  };
  const { contract: _contract, ...def } = mod.default;
  return definePolicy(def) as never;
}

const original = definePolicy({
  id: "original",
  title: "upstream",
  summary: "no changes",
  upstream: { cite: "Linux v7.3", url: "https://kernel.org" },
  touches: [],
}) as never;

const profile = (id: string) => builtinProfiles().find((p) => p.id === id)!;
const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!;

function verdict(policy: never, profileId: string, sc: Scenario, property: string) {
  const run = runCell(
    createRootContainer(),
    policy,
    profile(profileId),
    sc,
    DEFAULT_BOUNDS,
    PROPERTIES.filter((p) => p.id === property),
    BFS,
  );
  const c = run.cells.find((x) => x.property === property)!;
  return { verdict: c.verdict, actions: c.counterexample?.actions ?? [] };
}

describe("mutant skip-global-status-sync (kvm_mediated_pmu_put without intel_mediated_pmu_put's GLOBAL_STATUS sync)", () => {
  // PMIs as the only NMIs: with the default NMI from another source the real code is violated too
  // (an NMI inside perf_load_guest_lvtpc re-enables GLOBAL_CTRL, so a guest counter overflows in
  // root and intel_mediated_pmu_load clears its bit: docs/todays-kernels.md), which would hide
  // whether the mutant's own change is caught.
  const sc = withAssumptions(scenario("mediated-host-sampling"), { otherNmis: 0 });
  const P = "mediated-global-status-owned";

  it("is violated: a guest overflow bit is still in GLOBAL_STATUS once perf has the PMU back", async () => {
    const r = verdict(await mutant("skip-global-status-sync"), "emerald-rapids", sc, P);
    expect(r.verdict).toBe("violated");
    // A counter holding the guest's values overflowed, then the slow exit's put ran.
    const ovf = r.actions.findIndex((a) => /^overflow\d@/.test(a));
    expect(ovf).toBeGreaterThanOrEqual(0);
    expect(r.actions.indexOf("intel_mediated_pmu_put")).toBeGreaterThan(ovf);
  });

  it("where the real code holds", () => {
    expect(verdict(original, "emerald-rapids", sc, P).verdict).toBe("holds");
  });
});

describe("mutant no-autostore-global-ctrl (vmx_refresh_guest_perf_global_control without its no-save-control branch)", () => {
  const sc = scenario("mediated-fastpath");
  const P = "mediated-guest-state-restored";

  it("is violated on a CPU without VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL: the guest's GLOBAL_CTRL write is undone at re-entry", async () => {
    const r = verdict(await mutant("no-autostore-global-ctrl"), "sapphire-rapids-no-save", sc, P);
    expect(r.verdict).toBe("violated");
    const write = r.actions.findIndex((a) => a.startsWith("guest:global-ctrl@"));
    expect(write).toBeGreaterThanOrEqual(0);
    expect(r.actions.lastIndexOf("vmx_vcpu_run:vm-entry")).toBeGreaterThan(write);
  });

  it("where the real code holds", () => {
    expect(verdict(original, "sapphire-rapids-no-save", sc, P).verdict).toBe("holds");
  });

  it("holds on the same CPU with the save control (the branch it drops is the no-save one)", async () => {
    expect(verdict(await mutant("no-autostore-global-ctrl"), "sapphire-rapids", sc, P).verdict).toBe("holds");
  });

  it("holds when the guest never writes its PMU (guest writes 0): a fixed guest cannot tell it from the real code", async () => {
    const r = verdict(
      await mutant("no-autostore-global-ctrl"),
      "sapphire-rapids-no-save",
      withAssumptions(sc, { guestWrites: 0 }),
      P,
    );
    expect(r.verdict).toBe("holds");
  });
});
