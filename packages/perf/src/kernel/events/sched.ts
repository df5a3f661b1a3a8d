import { type Sequence, type Step, step } from "@switchlab/policy-api";
import type { PerfEnv, PerfWorld } from "../../env.js";

/** Id of the scheduling sequence (policies patch it by this name). */
export const SCHED = "perf_sched";
const CORE_C = "kernel/events/core.c";

/** What one scheduling activity does: events (by index) that leave, and events added with their counters. */
export interface SchedMove {
  readonly remove: readonly number[];
  readonly add: readonly { readonly event: number; readonly counter: number }[];
}

/**
 * perf moving events between counters with IRQs on (kernel/events/core.c, v5.11): a context
 * switch or rotation disables the PMU (perf_pmu_disable), schedules events out (event_sched_out
 * -> pmu->del -> x86_pmu_del, whose x86_pmu_stop does nothing for a throttled event) and in
 * (event_sched_in -> pmu->add -> x86_pmu_add), then perf_pmu_enable -> x86_pmu_enable starts the
 * new events and runs intel_pmu_enable_all. `moveOf` says which events the running activity
 * moves (the scenario decides, as x86_schedule_events would).
 */
export function schedSequence<W extends PerfWorld, E extends PerfEnv>(
  moveOf: (w: W, env: E) => SchedMove,
): Sequence<W, E> {
  // Lengths in instructions are estimates from the C (v5.11 and v6.16 alike), not counted from objects.
  const S = (id: string, fn: string, insns: number, run: Step<W, E>["run"]) =>
    step<W, E>(id, fn, CORE_C, "v5.11", insns, run);
  return {
    id: SCHED,
    title: "perf scheduling: events out and in",
    steps: [
      S("perf_event_sched:perf_pmu_disable", "perf_pmu_disable", 80, (w, env) => {
        env.k.x86.x86PmuDisable(w, env);
        return undefined;
      }),
      S("perf_event_sched:event_sched_out", "event_sched_out", 300, (w, env) => {
        for (const e of moveOf(w, env).remove) env.k.x86.x86PmuDel(w, env, e);
        return undefined;
      }),
      S("perf_event_sched:event_sched_in", "event_sched_in", 300, (w, env) => {
        for (const a of moveOf(w, env).add) env.k.x86.x86PmuAdd(w, env, a.event, a.counter);
        return undefined;
      }),
      S("perf_event_sched:perf_pmu_enable", "perf_pmu_enable", 150, (w, env) => {
        env.k.x86.x86PmuEnable(w, env);
        return undefined;
      }),
    ],
  };
}
