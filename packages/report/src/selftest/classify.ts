import type { Cell, Trace, TraceStep, World } from "@switchlab/model";

/**
 * How a selftest gets an event of a model trace to happen on a real host:
 * - `steerable`: the test places it (guest code, a guest write, a VM-exit the guest causes, the
 *   KVM_RUN ioctl that runs the kernel's run loop);
 * - `amplified`: the test cannot place it, only make it likely (counters preset near overflow
 *   through the perf sample period, a racer thread, perf's multiplexing interval, iterations);
 * - `unreachable`: nothing a user-space test does makes it happen; it needs kprobes or eBPF.
 */
export type EventClass = "steerable" | "amplified" | "unreachable";

/** The kind of choice a trace step is, from its action name (machine.ts actionName). */
export type EventKind = "step" | "exit" | "nmi" | "overflow" | "latent" | "tick" | "sched" | "entry-fail" | "guest";

/** One trace step as the selftest sees it: the model step, its kind, its class and why. */
export interface SelftestStep {
  readonly step: TraceStep;
  readonly kind: EventKind;
  /** Counter of an overflow or latent PEBS assist, exit reason, or activity id; else empty. */
  readonly arg: string;
  readonly cls: EventClass;
  /** How the test gets it: what it writes or runs, or why it cannot. */
  readonly how: string;
  /** An overflow of a counter the guest owns at that point (a KVM guest-counter event or a mediated guest selector). */
  readonly guestCounter: boolean;
}

/** The kind and argument of an action name (`overflow0@guest:running` -> overflow, 0). */
export function eventKindOf(action: string): { kind: EventKind; arg: string } {
  const g = /^guest:([a-z-]+)@/.exec(action);
  if (g) return { kind: "guest", arg: g[1] as string };
  const m = /^(nmi|other-nmi|overflow(\d+)|latent-pebs(\d+)|tick|sched:([^@]+)|vmexit:([a-z]+)|vmentry-fail)@/.exec(
    action,
  );
  if (!m) return { kind: "step", arg: "" };
  const head = m[1] as string;
  if (head === "nmi") return { kind: "nmi", arg: "" };
  if (head === "other-nmi") return { kind: "nmi", arg: "other" };
  if (head === "tick") return { kind: "tick", arg: "" };
  if (head === "vmentry-fail") return { kind: "entry-fail", arg: "" };
  if (m[2] !== undefined) return { kind: "overflow", arg: m[2] };
  if (m[3] !== undefined) return { kind: "latent", arg: m[3] };
  if (m[4] !== undefined) return { kind: "sched", arg: m[4] };
  return { kind: "exit", arg: m[5] as string };
}

/**
 * The class of an event kind, with the reason the selftest states in the step's comment. A run
 * loop step is steerable (KVM_RUN runs it); a host step (tick or perf scheduling sequence) takes
 * the class of the activity that started it, given as `host`.
 */
export function classify(
  kind: EventKind,
  o: { readonly arg?: string; readonly guestCounter?: boolean; readonly lane?: string; readonly host?: EventClass },
): { cls: EventClass; how: string } {
  switch (kind) {
    case "step":
      if (o.lane === "host")
        return {
          cls: o.host ?? "amplified",
          how: "host code of the activity above, with IRQs on (runs once that activity starts)",
        };
      return { cls: "steerable", how: "KVM's run loop, entered by the test's KVM_RUN (vcpu_run)" };
    case "exit":
      if (o.arg === "extint")
        return {
          cls: "amplified",
          how: "the external-interrupt exit the CPU takes at VM-entry while vector 0xf5 waits in the IRR (no guest instruction runs): it follows the PMI delivered as that vector before",
        };
      return o.arg === "fastpath"
        ? {
            cls: "steerable",
            how: "the guest writes the x2APIC ICR (a fixed self-IPI): handle_fastpath_set_msr_irqoff takes the fastpath exit",
          }
        : { cls: "steerable", how: "the guest's GUEST_SYNC (ucall: a port I/O exit to user space, the slow path)" };
    case "overflow":
      return o.guestCounter
        ? {
            cls: "steerable",
            how: `the guest presets its counter ${o.arg} near overflow (GUEST_PERIOD) and enables it; it overflows in guest code the test runs`,
          }
        : {
            cls: "amplified",
            how: `host counter ${o.arg} overflows where the hardware says: made likely by a small sample_period (perf presets the counter to -period) and ITERATIONS round trips`,
          };
    case "nmi":
      if (o.arg === "other")
        return {
          cls: "amplified",
          how: "an NMI that is not a PMI (the NMI watchdog, an all-CPU backtrace such as `echo l > /proc/sysrq-trigger`): sent often during ITERATIONS round trips, one may land at this point",
        };
      return {
        cls: "amplified",
        how: "the PMI of a host overflow arrives as an NMI where the APIC delivers it; no user-space code places it between two kernel instructions: a small sample_period and ITERATIONS round trips make it likely",
      };
    case "latent":
      return {
        cls: "amplified",
        how: `a PEBS assist of counter ${o.arg} still in flight after PEBS_ENABLE is cleared (the SDM's quiescent period): made likely by a small PEBS sample_period; whether the CPU ever completes one late is not documented`,
      };
    case "tick":
      return {
        cls: "amplified",
        how: "the perf tick (perf_event_task_tick) lands every 1/HZ; the throttle sysctls and ITERATIONS make a tick between two round trips likely",
      };
    case "sched":
      return {
        cls: "amplified",
        how: `perf moves events between counters (${o.arg}): made likely by a racer thread on the vCPU's CPU (context switches) and perf_event_mux_interval_ms = 1 (rotation)`,
      };
    case "guest":
      return {
        cls: "steerable",
        how:
          o.arg === "ack"
            ? "the guest's code reads GLOBAL_STATUS, acks it through GLOBAL_OVF_CTRL and re-arms the overflowed counters (passed through: no VM-exit)"
            : "the guest's code toggles its GLOBAL_CTRL (passed through: no VM-exit)",
      };
    case "entry-fail":
      return {
        cls: "unreachable",
        how: "a VMRESUME that fails (VMfail) needs a VMCS KVM itself considers valid to be refused; user space cannot cause it: needs a kprobe or an eBPF fault-injection program on __vmx_vcpu_run",
      };
  }
}

/** Does the guest own counter k in this world (a KVM exclude_host event, or a mediated guest selector)? */
function guestOwns(cell: Cell, w: World, k: number): boolean {
  if ((w.hw.evtselGuest >> k) & 1) return true;
  const ev = (w.perf.events[k] ?? 0) - 1;
  return ev >= 0 && cell.scenario.events[ev]?.excludeHost === true;
}

/**
 * Classify every step of a replayed trace, walking the worlds again (the trace does not keep the
 * world before each step) to know who owns an overflowing counter.
 */
export function classifyTrace(cell: Cell, trace: Trace): SelftestStep[] {
  let w = cell.initial;
  let host: EventClass = "amplified";
  return trace.steps.map((step) => {
    const { kind, arg } = eventKindOf(step.action);
    const guestCounter = kind === "overflow" && w.hw.mode === 1 && guestOwns(cell, w, Number(arg));
    const { cls, how } = classify(kind, { arg, guestCounter, lane: step.lane, host });
    if (kind === "tick" || kind === "sched") host = cls;
    const a = cell.machine.findAction(w, step.action);
    if (!a) throw new Error(`selftest: step ${step.n} '${step.action}' does not replay`);
    w = cell.machine.apply(w, a);
    return { step, kind, arg, cls, how, guestCounter };
  });
}
