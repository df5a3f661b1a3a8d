import { type Sequence, type Step, step } from "@switchlab/policy-api";
import type { PerfEnv, PerfWorld } from "../../env.js";
import { MAX_INTERRUPTS } from "../../perf-event.js";

/** Id of the tick sequence (policies patch it by this name). */
export const TICK = "perf_tick";
const CORE_C = "kernel/events/core.c";

/**
 * The perf part of the scheduler tick, with IRQs on (kernel/events/core.c, v5.11):
 * perf_event_task_tick bumps perf_throttled_seq; perf_adjust_freq_unthr_context runs only when an
 * event was throttled since the last tick (`ctx->nr_freq || needs_unthr`; scenario events are not
 * freq-mode), then perf_pmu_disable, restarts throttled events, perf_pmu_enable (which rewrites
 * PEBS_ENABLE).
 */
export function tickSequence<W extends PerfWorld, E extends PerfEnv>(): Sequence<W, E> {
  // Lengths in instructions are estimates from the C (v5.11 and v6.16 alike), not counted from objects.
  const S = (id: string, fn: string, insns: number, run: Step<W, E>["run"]) =>
    step<W, E>(id, fn, CORE_C, "v5.11", insns, run);
  return {
    id: TICK,
    title: "perf tick: unthrottle",
    steps: [
      S("perf_event_task_tick:throttled_seq", "perf_event_task_tick", 60, (w, env) => {
        let throttled = false;
        for (let e = 0; e < env.perf.events.length; e++)
          if (w.perf.evInterrupts[e] === MAX_INTERRUPTS) throttled = true;
        env.k.events.perfEventTaskTickSeq(w, env);
        return throttled ? undefined : "perf_tick:end";
      }),
      S("perf_adjust_freq_unthr_context:perf_pmu_disable", "perf_adjust_freq_unthr_context", 80, (w, env) => {
        env.k.x86.x86PmuDisable(w, env);
        return undefined;
      }),
      S("perf_adjust_freq_unthr_context:unthrottle", "perf_adjust_freq_unthr_context", 200, (w, env) => {
        env.k.events.perfUnthrottleEvents(w, env);
        return undefined;
      }),
      S("perf_adjust_freq_unthr_context:perf_pmu_enable", "perf_adjust_freq_unthr_context", 150, (w, env) => {
        env.k.x86.x86PmuEnable(w, env);
        return undefined;
      }),
      S("perf_tick:end", "perf_event_task_tick", 20, () => undefined),
    ],
  };
}
