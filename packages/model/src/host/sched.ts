import { type Sequence, type Step, step } from "@switchlab/policy-api";
import type { ModelEnv } from "../env.js";
import { eventIndex } from "../scenario.js";
import type { World } from "../world.js";

export const SCHED = "perf_sched";
const CORE_C = "kernel/events/core.c";

function activity(w: World, env: ModelEnv) {
  const a = env.scenario.activities[w.host.act - 2];
  if (!a) throw new Error(`no scheduling activity ${w.host.act - 2}`);
  return a;
}

/**
 * perf moving events between counters with IRQs on (kernel/events/core.c, v5.11): a context
 * switch or rotation disables the PMU (perf_pmu_disable), schedules events out (event_sched_out
 * -> pmu->del -> x86_pmu_del, whose x86_pmu_stop does nothing for a throttled event) and in
 * (event_sched_in -> pmu->add -> x86_pmu_add), then perf_pmu_enable -> x86_pmu_enable starts the
 * new events and runs intel_pmu_enable_all.
 */
export function schedSequence(): Sequence<World, ModelEnv> {
  const S = (id: string, fn: string, run: Step<World, ModelEnv>["run"]) =>
    step<World, ModelEnv>(id, fn, CORE_C, "v5.11", run);
  return {
    id: SCHED,
    title: "perf scheduling: events out and in",
    steps: [
      S("perf_event_sched:perf_pmu_disable", "perf_pmu_disable", (w, env) => {
        env.k.x86.x86PmuDisable(w, env);
        return undefined;
      }),
      S("perf_event_sched:event_sched_out", "event_sched_out", (w, env) => {
        for (const name of activity(w, env).remove) env.k.x86.x86PmuDel(w, env, eventIndex(env.scenario, name));
        return undefined;
      }),
      S("perf_event_sched:event_sched_in", "event_sched_in", (w, env) => {
        for (const a of activity(w, env).add) env.k.x86.x86PmuAdd(w, env, eventIndex(env.scenario, a.event), a.counter);
        return undefined;
      }),
      S("perf_event_sched:perf_pmu_enable", "perf_pmu_enable", (w, env) => {
        env.k.x86.x86PmuEnable(w, env);
        return undefined;
      }),
    ],
  };
}
