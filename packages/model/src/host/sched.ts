import type { Sequence } from "@switchlab/policy-api";
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
  return {
    id: SCHED,
    title: "perf scheduling: events out and in",
    steps: [
      {
        id: "perf_event_sched:perf_pmu_disable",
        fn: "perf_pmu_disable",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          env.k.x86.x86PmuDisable(w, env);
          return undefined;
        },
      },
      {
        id: "perf_event_sched:event_sched_out",
        fn: "event_sched_out",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          for (const name of activity(w, env).remove) env.k.x86.x86PmuDel(w, env, eventIndex(env.scenario, name));
          return undefined;
        },
      },
      {
        id: "perf_event_sched:event_sched_in",
        fn: "event_sched_in",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          for (const a of activity(w, env).add)
            env.k.x86.x86PmuAdd(w, env, eventIndex(env.scenario, a.event), a.counter);
          return undefined;
        },
      },
      {
        id: "perf_event_sched:perf_pmu_enable",
        fn: "perf_pmu_enable",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          env.k.x86.x86PmuEnable(w, env);
          return undefined;
        },
      },
    ],
  };
}
