import "reflect-metadata";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { createRootContainer } from "@switchlab/model";
import { INTEL_CORE, IntelCore } from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";
import { describe, expect, it } from "vitest";
import { DIMENSIONS, type DimensionId } from "../frontier/dimensions.js";
import { frontierRow } from "../frontier/run-frontier.js";
import { BFS, runCell } from "../matrix/run-cell.js";
import { PROPERTIES } from "../properties/index.js";
import { SCENARIOS } from "../scenarios/index.js";
import type { Strategy } from "../strategy.js";
import { UPSTREAM } from "./upstream.js";

/**
 * The dead-value reduction (perf nmi.ts forgetDeadRip, kvm run-loop.ts forgetDeadExitReason; the
 * explorer's README, "Dead values"): a row explored with last_nmi_rip and the exit reason
 * forgotten where nothing reads them gives the answers of the row
 * explored with every value kept, from fewer states; a policy that reads a forgotten value gets
 * its row explored again with every value kept. The whole default matrix is compared in the
 * matrix tier (cli/src/__matrix__/reductions.test.ts).
 */

/**
 * Upstream with one more read in perf_guest_get_msrs, which runs before VM-entry: of a value
 * upstream never reads there, so the explorer has forgotten it (last_nmi_rip outside the NMI; the
 * exit reason between vmx_handle_exit_irqoff and the next VM-exit). Inside the PMI handler a read
 * of last_nmi_rip would be of the value default_do_nmi has just written, never a forgotten one.
 */
function readsInGetMsrs(id: string, what: string, read: (w: Parameters<IntelCore["perfGuestGetMsrs"]>[0]) => number) {
  @injectable()
  class Reader extends IntelCore {
    override perfGuestGetMsrs(...a: Parameters<IntelCore["perfGuestGetMsrs"]>) {
      if (read(a[0]) === -100) throw new Error("unreachable");
      return super.perfGuestGetMsrs(...a);
    }
  }
  return definePolicy({
    id,
    title: `reads ${what}`,
    summary: `upstream, with a read of ${what} in perf_guest_get_msrs`,
    upstream: { cite: "Linux v7.3", url: "https://kernel.org" },
    touches: [],
    register: (c) => void c.register(INTEL_CORE, { useClass: Reader }),
  }) as never;
}
const reader = readsInGetMsrs("reads-last-nmi-rip", "last_nmi_rip", (w) => w.perf.lastNmiRip);
const exitReader = readsInGetMsrs(
  "reads-exit-reason",
  "KVM's last exit reason",
  (w) => (w as unknown as { kvm: { exitReason: number } }).kvm.exitReason,
);

const profile = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation")!;
const KEEP: Strategy = { kind: "bfs", keepDeadValues: true };

function run(policy: never, scenario: string, strategy: Strategy) {
  const sc = SCENARIOS.find((s) => s.id === scenario)!;
  const r = runCell(createRootContainer(), policy, profile, sc, DEFAULT_BOUNDS, PROPERTIES, strategy);
  return {
    states: r.cells[0]!.states,
    answers: r.cells.map((c) => `${c.property} ${c.verdict} ${c.counterexample?.actions.length ?? "-"}`),
    guards: r.guards.map((g) => `${g.guard} ${g.reached} ${g.witness?.length ?? "-"}`),
  };
}

describe("dead values: last_nmi_rip and the exit reason forgotten where nothing reads them", () => {
  // fastpath-reentry: its guard asks at reenter_guest, where the exit reason is forgotten, whether it was a fastpath exit.
  for (const scenario of ["throttle-window", "two-counters-one-nmi", "fastpath-reentry"])
    it(`${scenario}: the same verdicts, counterexample lengths and guards from fewer states`, () => {
      const kept = run(UPSTREAM, scenario, KEEP);
      const forgotten = run(UPSTREAM, scenario, BFS);
      expect(forgotten.answers).toEqual(kept.answers);
      expect(forgotten.guards).toEqual(kept.guards);
      expect(kept.answers.some((a) => a.includes("violated"))).toBe(true);
      expect(forgotten.states).toBeLessThan(kept.states);
    });

  for (const strategy of [{ kind: "dfs" }, { kind: "random", seed: 3, walks: 100 }] as const)
    it(`with ${strategy.kind === "dfs" ? "depth-first search" : "random walks"} too: the same verdicts and guards`, () => {
      const kept = run(UPSTREAM, "two-counters-one-nmi", { ...strategy, keepDeadValues: true });
      const forgotten = run(UPSTREAM, "two-counters-one-nmi", strategy);
      expect(forgotten.answers).toEqual(kept.answers);
      expect(forgotten.guards).toEqual(kept.guards);
      expect(forgotten.states).toBeLessThan(kept.states);
    });

  for (const [what, policy] of [
    ["last_nmi_rip", reader],
    ["the exit reason", exitReader],
  ] as const)
    it(`a policy that reads a forgotten value (${what}) has its row explored again with every value kept`, () => {
      const kept = run(policy, "throttle-window", KEEP);
      const forgotten = run(policy, "throttle-window", BFS);
      expect(forgotten).toEqual(kept);
      expect(kept.states).toBe(run(UPSTREAM, "throttle-window", KEEP).states);
    });

  it("fastpath-reentry's guard is reached with the exit reason forgotten, as with it kept", () => {
    const kept = run(UPSTREAM, "fastpath-reentry", KEEP);
    expect(kept.guards.some((g) => g.startsWith("fastpath-reentry true"))).toBe(true);
    expect(run(UPSTREAM, "fastpath-reentry", BFS).guards).toEqual(kept.guards);
  });

  it("the frontier's minimax explorations find the same edges, each with a counterexample of the same length", () => {
    const ceilings: Partial<Record<DimensionId, number>> = { pmiLatency: 1024, overflows: 3, nmis: 3, ticks: 2 };
    const ds = DIMENSIONS.filter((d) => d.id in ceilings);
    const sc = SCENARIOS.find((s) => s.id === "throttle-window")!;
    const edges = (strategy: Strategy) =>
      frontierRow(
        createRootContainer(),
        UPSTREAM,
        profile,
        sc,
        ds,
        ceilings,
        DEFAULT_BOUNDS,
        strategy,
        false,
      ).cells.flatMap((c) =>
        c.edges.map(
          (e) =>
            `${c.property} ${e.dimension} ${e.from} ${e.breaksAt ?? "-"} ${e.holdsUpTo ?? "-"} ${e.unknownAbove ?? "-"} ${e.inconsistent ?? ""} ${e.counterexample?.actions.length ?? "-"}`,
        ),
      );
    const kept = edges(KEEP);
    expect(kept.length).toBeGreaterThan(10);
    expect(edges(BFS)).toEqual(kept);
  });
});
