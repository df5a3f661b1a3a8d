import type { HardwareProfile } from "@switchlab/hardware";
import { Ledger, type RoundTripTraffic, totalWrites } from "@switchlab/hardware";
import { buildCell, type ModelEnv, type Policy, type Scenario } from "@switchlab/model";
import type { NULL_KERNEL_OBSERVER } from "@switchlab/perf";
import type { DependencyContainer } from "tsyringe";
import type { CostTable } from "./cost-table.js";

/** Cost of one steady-state VM round trip of a (policy, profile, scenario). */
export interface CostRow {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  /** Every MSR write of one entry/exit pair: wrmsr + entryLoads + exitLoads + fieldLoads. */
  readonly msrWritesPerRoundtrip: number;
  readonly wrmsr: number;
  readonly entryLoads: number;
  readonly exitLoads: number;
  readonly fieldLoads: number;
  readonly byMsr: Readonly<Record<string, number>>;
  readonly cyclesPerRoundtrip: number;
}

/** Round trips the cost run makes; the last one is the steady state. */
const COST_ROUND_TRIPS = 3;

export function cyclesOf(t: RoundTripTraffic, table: CostTable): number {
  const c = table.cycles;
  return (
    c.baseRoundTrip +
    t.wrmsr * c.wrmsr +
    t.entryLoads * c.entryLoad +
    t.exitLoads * c.exitLoad +
    t.fieldLoads * c.fieldLoad
  );
}

/**
 * Measure MSR traffic in steady state: run the vCPU loop with nothing asynchronous (no
 * overflow, PMI, tick or perf scheduling), taking the scenario's first VM-exit kind (fastpath
 * first, as the published figures use) for a few round trips, with the hardware ledger
 * recording every WRMSR, list load and field load; the last complete round trip is the answer.
 * `exit` picks the exit kind instead: a slow exit makes each round trip a whole vcpu_enter_guest,
 * which for the mediated vPMU includes kvm_mediated_pmu_put and _load (a fastpath round trip
 * stays inside its loop and switches only GLOBAL_CTRL).
 */
export function measureCost(
  root: DependencyContainer,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
  table: CostTable,
  exit?: "fastpath" | "slow",
): CostRow {
  const ledger = new Ledger();
  const obs: typeof NULL_KERNEL_OBSERVER = { ...ledgerObserver(ledger) };
  const sc: Scenario = { ...scenario, maxRoundTrips: COST_ROUND_TRIPS };
  const cell = buildCell(root, policy, profile, sc, obs);
  const env: ModelEnv = cell.env;
  const m = cell.machine;
  const exitKind = exit ?? (sc.exits.includes("fastpath") ? "fastpath" : "slow");
  let w = cell.initial;
  for (let guard = 0; guard < 10_000 && !m.isDone(w); guard++) {
    const acts = m.actions(w);
    const a =
      acts.find((x) => x.kind === "step") ??
      acts.find((x) => x.kind === "exit" && m.actionName(w, x) === `vmexit:${exitKind}@guest`);
    if (!a) break;
    w = m.apply(w, a, env);
  }
  const t = ledger.last() ?? ledger.current;
  return {
    policy: policy.id,
    profile: profile.id,
    scenario: scenario.id,
    msrWritesPerRoundtrip: totalWrites(t),
    wrmsr: t.wrmsr,
    entryLoads: t.entryLoads,
    exitLoads: t.exitLoads,
    fieldLoads: t.fieldLoads,
    byMsr: Object.fromEntries(Object.entries(t.byMsr).sort(([a], [b]) => a.localeCompare(b))),
    cyclesPerRoundtrip: cyclesOf(t, table),
  };
}

function ledgerObserver(ledger: Ledger) {
  return {
    msrWrite: ledger.msrWrite.bind(ledger),
    event: () => {},
    roundTripDone: ledger.roundTripDone.bind(ledger),
    printk: () => {},
    call: () => {},
  };
}
