import { MAX_INTERRUPTS } from "@switchlab/perf";
import { type Sequence, type Step, step } from "@switchlab/policy-api";
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
  const S = (id: string, fn: string, run: Step<World, ModelEnv>["run"]) =>
    step<World, ModelEnv>(id, fn, CORE_C, "v5.11", run);
  return {
    id: TICK,
    title: "perf tick: unthrottle",
    steps: [
      S("perf_event_task_tick:throttled_seq", "perf_event_task_tick", (w, env) => {
        const throttled = w.perf.evInterrupts.some((n) => n === MAX_INTERRUPTS);
        env.k.events.perfEventTaskTickSeq(w, env);
        return throttled ? undefined : "perf_tick:end";
      }),
      S("perf_adjust_freq_unthr_context:perf_pmu_disable", "perf_adjust_freq_unthr_context", (w, env) => {
        env.k.x86.x86PmuDisable(w, env);
        return undefined;
      }),
      S("perf_adjust_freq_unthr_context:unthrottle", "perf_adjust_freq_unthr_context", (w, env) => {
        env.k.events.perfUnthrottleEvents(w, env);
        return undefined;
      }),
      S("perf_adjust_freq_unthr_context:perf_pmu_enable", "perf_adjust_freq_unthr_context", (w, env) => {
        env.k.x86.x86PmuEnable(w, env);
        return undefined;
      }),
      S("perf_tick:end", "perf_event_task_tick", () => undefined),
    ],
  };
}
