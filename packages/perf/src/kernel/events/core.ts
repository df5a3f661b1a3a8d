import { injectable } from "tsyringe";
import { kernelHas, type PerfEnv, type PerfWorld } from "../../env.js";
import { MAX_INTERRUPTS } from "../../perf-event.js";

/** kernel/events/core.c: interrupt accounting, throttling and the tick's unthrottle. */
@injectable()
export class EventsCore {
  /**
   * __perf_event_account_interrupt(event, throttle = 1).
   * v5.11: the first interrupt of a tick (interrupts_seq stale) sets interrupts = 1 and never
   * throttles; later ones increment and throttle at `interrupts >= max_samples_per_tick`
   * (interrupts = MAX_INTERRUPTS, return 1).
   * v6.16: the check is outside the else, so the first interrupt can throttle too (7.1.5, for
   * v7.3: the same; 6.1.192, for v6.1.y: kernel/events/core.c l.9377-9390, the same).
   */
  perfEventAccountInterrupt(w: PerfWorld, env: PerfEnv, e: number): boolean {
    const n = w.perf.evInterrupts[e] as number;
    let throttle = false;
    if (n === 0) {
      w.perf.evInterrupts[e] = 1;
      throttle = kernelHas(env.perf.kernel, "first-interrupt-throttles") && 1 >= env.perf.maxSamplesPerTick;
    } else if (n !== MAX_INTERRUPTS) {
      w.perf.evInterrupts[e] = n + 1;
      throttle = n + 1 >= env.perf.maxSamplesPerTick;
    }
    if (throttle) {
      w.perf.evInterrupts[e] = MAX_INTERRUPTS;
      env.obs.call(
        "__perf_event_account_interrupt",
        () => `${env.perf.events[e]?.name}: throttled (hwc->interrupts = MAX_INTERRUPTS)`,
      );
    }
    return throttle;
  }

  /**
   * perf_event_overflow -> __perf_event_overflow (v5.11): account the interrupt and write the
   * sample; returns 1 when the caller must stop the event (throttled). v6.16 stops the group
   * from here (perf_event_throttle_group) and x86 ignores the return value: for a single-event
   * group the result is the same pmu->stop, so the model keeps the v5.11 shape.
   */
  perfEventOverflow(w: PerfWorld, env: PerfEnv, e: number): boolean {
    const throttle = this.perfEventAccountInterrupt(w, env, e);
    env.obs.call(
      "perf_event_overflow",
      () => `${env.perf.events[e]?.name}: sample${throttle ? ", returns 1 (stop)" : ""}`,
    );
    return throttle;
  }

  /**
   * perf_event_task_tick (v5.11): perf_throttled_seq++, so every event's next interrupt starts a
   * new count (the model resets non-throttled counts to 0).
   */
  perfEventTaskTickSeq(w: PerfWorld, env: PerfEnv): void {
    for (let e = 0; e < env.perf.events.length; e++) {
      if (w.perf.evInterrupts[e] !== MAX_INTERRUPTS) w.perf.evInterrupts[e] = 0;
    }
    env.obs.call("perf_event_task_tick", "perf_throttled_seq++");
  }

  /**
   * perf_adjust_freq_unthr_context, the unthrottle half (v5.11): for each scheduled event with
   * interrupts == MAX_INTERRUPTS: interrupts = 0 and pmu->start(event, 0). Runs between
   * perf_pmu_disable and perf_pmu_enable, so the MSR write comes from x86_pmu_enable.
   */
  perfUnthrottleEvents(w: PerfWorld, env: PerfEnv): void {
    for (let e = 0; e < env.perf.events.length; e++) {
      if (w.perf.evInterrupts[e] === MAX_INTERRUPTS && (w.perf.evIdx[e] as number) >= 0) {
        w.perf.evInterrupts[e] = 0;
        env.obs.call("perf_adjust_freq_unthr_context", () => `unthrottle ${env.perf.events[e]?.name}`);
        env.k.x86.x86PmuStart(w, env, e);
      }
    }
  }

  /**
   * perf_load_guest_context (7.1.5 l.6414-6437), first part (l.6425): perf_ctx_disable(EVENT_GUEST)
   * -> perf_pmu_disable -> x86_pmu_disable (GLOBAL_CTRL = 0, cpuc->enabled = 0).
   */
  perfLoadGuestContextDisable(w: PerfWorld, env: PerfEnv): void {
    env.k.x86.x86PmuDisable(w, env);
  }

  /**
   * perf_load_guest_context (l.6426): ctx_sched_out(EVENT_GUEST) schedules out every event of a
   * mediated-capable PMU, all exclude_guest (an include-guest event and a mediated VM cannot
   * coexist: mediated_pmu_account_event l.6353, perf_create_mediated_pmu l.6390): x86_pmu_del.
   */
  perfLoadGuestContextSchedOut(w: PerfWorld, env: PerfEnv): void {
    env.perf.events.forEach((spec, e) => {
      if (spec.excludeGuest && (w.perf.evIdx[e] as number) >= 0) env.k.x86.x86PmuDel(w, env, e);
    });
  }

  /**
   * perf_load_guest_context (l.6432-6436): perf_ctx_enable -> x86_pmu_enable (cpuc->enabled = 1,
   * intel_pmu_enable_all: GLOBAL_CTRL = intel_ctrl & ~intel_ctrl_guest_mask, non-zero, which is
   * why KVM zeroes it next), then `guest_ctx_loaded = true`, last.
   */
  perfLoadGuestContextEnable(w: PerfWorld, env: PerfEnv): void {
    env.k.x86.x86PmuEnable(w, env);
    w.perf.guestCtxLoaded = 1;
    env.obs.call("perf_load_guest_context", "host events out; guest_ctx_loaded = true");
  }

  /** perf_put_guest_context (l.6440-6462), first part (l.6451): perf_ctx_disable -> x86_pmu_disable. */
  perfPutGuestContextDisable(w: PerfWorld, env: PerfEnv): void {
    env.k.x86.x86PmuDisable(w, env);
  }

  /**
   * perf_put_guest_context (l.6455): perf_event_sched_in(EVENT_GUEST) puts the host's
   * exclude_guest events back (x86_pmu_add; x86_schedule_events gives each its counter back, as
   * nothing else competes for it: `counters`, by event).
   */
  perfPutGuestContextSchedIn(
    w: PerfWorld,
    env: PerfEnv,
    counters: readonly { event: number; counter: number }[],
  ): void {
    for (const { event, counter } of counters)
      if (env.perf.events[event]?.excludeGuest && (w.perf.evIdx[event] as number) < 0)
        env.k.x86.x86PmuAdd(w, env, event, counter);
  }

  /**
   * perf_put_guest_context (l.6457-6461): perf_ctx_enable -> x86_pmu_enable (the events start,
   * GLOBAL_CTRL = intel_ctrl & ~intel_ctrl_guest_mask), then `guest_ctx_loaded = false`, last.
   */
  perfPutGuestContextEnable(w: PerfWorld, env: PerfEnv): void {
    env.k.x86.x86PmuEnable(w, env);
    w.perf.guestCtxLoaded = 0;
    env.obs.call("perf_put_guest_context", "host events back; guest_ctx_loaded = false");
  }
}
