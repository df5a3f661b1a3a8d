import { MAX_INTERRUPTS } from "@switchlab/perf";
import type { Sequence } from "@switchlab/policy-api";
import type { ModelEnv } from "../env.js";
import type { World } from "../world.js";

export const TICK = "perf_tick";
const CORE_C = "kernel/events/core.c";

/**
 * The perf part of the scheduler tick, with IRQs on (v5.11): perf_event_task_tick bumps
 * perf_throttled_seq; perf_adjust_freq_unthr_context runs only when an event was throttled since
 * the last tick (`ctx->nr_freq || needs_unthr`; scenario events are not freq-mode), then
 * perf_pmu_disable, restarts throttled events, perf_pmu_enable (which rewrites PEBS_ENABLE).
 */
export function tickSequence(): Sequence<World, ModelEnv> {
  return {
    id: TICK,
    title: "perf tick: unthrottle",
    steps: [
      {
        id: "perf_event_task_tick:throttled_seq",
        fn: "perf_event_task_tick",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          const throttled = w.perf.evInterrupts.some((n) => n === MAX_INTERRUPTS);
          env.k.events.perfEventTaskTickSeq(w, env);
          return throttled ? undefined : "perf_tick:end";
        },
      },
      {
        id: "perf_adjust_freq_unthr_context:perf_pmu_disable",
        fn: "perf_adjust_freq_unthr_context",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          env.k.x86.x86PmuDisable(w, env);
          return undefined;
        },
      },
      {
        id: "perf_adjust_freq_unthr_context:unthrottle",
        fn: "perf_adjust_freq_unthr_context",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          env.k.events.perfUnthrottleEvents(w, env);
          return undefined;
        },
      },
      {
        id: "perf_adjust_freq_unthr_context:perf_pmu_enable",
        fn: "perf_adjust_freq_unthr_context",
        file: CORE_C,
        version: "v5.11",
        run: (w, env) => {
          env.k.x86.x86PmuEnable(w, env);
          return undefined;
        },
      },
      { id: "perf_tick:end", fn: "perf_event_task_tick", file: CORE_C, version: "v5.11", run: () => undefined },
    ],
  };
}
