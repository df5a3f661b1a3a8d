import { msrName, msrValueHex } from "@switchlab/hardware";
import type { KernelObserver } from "@switchlab/perf";
import type { Cell } from "./cell.js";
import { diffWorlds } from "./describe.js";
import type { ModelEnv } from "./env.js";
import type { Action } from "./machine.js";
import { type Symptom, symptomsOf } from "./symptoms.js";
import { staleBits, type World } from "./world.js";

/** One line of a trace: a choice taken, where, in which CPU mode, and what it did. */
export interface TraceStep {
  readonly n: number;
  readonly action: string;
  /** root, non-root, or NMI (an NMI taken in root). */
  readonly mode: string;
  /** The kernel function of the step that ran (or the hardware event). */
  readonly fn: string;
  /** Calls, hardware events and printk lines, then the fields that changed. */
  readonly detail: readonly string[];
}

/** Collects what the kernel and the hardware report during one action. */
class StepRecorder implements KernelObserver {
  lines: string[] = [];
  printks: string[] = [];
  msrWrite(kind: string, msr: number, before: number, after: number): void {
    if (kind !== "wrmsr") return;
    this.lines.push(`wrmsr ${msrName(msr)} ${msrValueHex(msr, before)} -> ${msrValueHex(msr, after)}`);
  }
  event(text: string): void {
    this.lines.push(`hw: ${text}`);
  }
  roundTripDone(): void {}
  printk(text: string): void {
    this.lines.push(`printk: ${text}`);
    this.printks.push(text);
  }
  call(fn: string, detail: string | (() => string)): void {
    this.lines.push(`${fn}: ${typeof detail === "function" ? detail() : detail}`);
  }
}

/** A replayed interleaving: each step, the final world, the kernel log and the symptoms. */
export interface Trace {
  readonly steps: readonly TraceStep[];
  readonly final: World;
  readonly printk: readonly string[];
  readonly symptoms: readonly Symptom[];
  /** Round trips completed while the final stale PEBS_ENABLE bit was already stale. */
  readonly staleTrips: number;
}

/** A choice that is not enabled where the replay reached: the replay has diverged from the model. */
export class ReplayDivergence extends Error {
  constructor(
    readonly index: number,
    readonly choice: string,
    readonly point: string,
    readonly enabled: readonly string[],
  ) {
    super(
      `choice ${index + 1} '${choice}' is not enabled at step ${point}; enabled choices: ${enabled.length ? enabled.join(", ") : "(none)"}`,
    );
  }
}

function fnOf(cell: Cell, w: World, a: Action, name: string): string {
  if (a.kind === "step") {
    const seq = w.host.act === 0 ? cell.env.seq.runLoop : w.host.act === 1 ? cell.env.seq.tick : cell.env.seq.sched;
    const s = seq.steps[w.host.act === 0 ? w.kvm.pc : w.host.pc];
    return s ? `${s.fn} [${s.file} ${s.version}]` : name;
  }
  if (a.kind === "tick" || a.kind === "sched")
    return `${a.kind === "tick" ? "perf_event_task_tick" : "perf_event_sched"} (IRQ context)`;
  if (a.kind === "nmi") return w.hw.mode ? "NMI exiting: VM-exit" : "default_do_nmi [arch/x86/kernel/nmi.c]";
  if (a.kind === "overflow") return `PMU: counter ${a.arg} overflow`;
  return "VM-exit";
}

/**
 * Replay named choices from the cell's initial world, recording a trace. Throws
 * {@link ReplayDivergence} at the first choice that is not enabled.
 */
export function replay(cell: Cell, choices: readonly string[]): Trace {
  let w = cell.initial;
  const steps: TraceStep[] = [];
  const printk: string[] = [];
  let staleTrips = 0;
  choices.forEach((name, i) => {
    const a = cell.machine.findAction(w, name);
    if (!a) {
      const enabled = cell.machine.actions(w).map((x) => cell.machine.actionName(w, x));
      throw new ReplayDivergence(i, name, cell.machine.point(w), enabled);
    }
    const rec = new StepRecorder();
    const env: ModelEnv = { ...cell.env, obs: rec };
    const mode = a.kind === "nmi" && w.hw.mode === 0 ? "NMI" : w.hw.mode ? "non-root" : "root";
    const next = cell.machine.apply(w, a, env);
    steps.push({
      n: i + 1,
      action: name,
      mode,
      fn: fnOf(cell, w, a, name),
      detail: [...rec.lines, ...diffWorlds(w, next, env)],
    });
    printk.push(...rec.printks);
    if (staleBits(next) === 0) staleTrips = 0;
    else if (next.kvm.roundTrips > w.kvm.roundTrips) staleTrips++;
    w = next;
  });
  return { steps, final: w, printk, symptoms: symptomsOf(w, cell.env, staleTrips), staleTrips };
}

/** The trace as ftrace-like text: step, CPU mode, choice and kernel function, then what changed. */
export function renderTrace(t: Trace): string[] {
  const out: string[] = [];
  for (const s of t.steps) {
    out.push(`${String(s.n).padStart(4)}  ${s.mode.padEnd(8)}  ${s.action}  <${s.fn}>`);
    for (const d of s.detail) out.push(`${" ".repeat(16)}| ${d}`);
  }
  out.push("");
  out.push(t.symptoms.length ? "symptoms:" : "symptoms: none");
  for (const s of t.symptoms) out.push(`  ${s.id}: ${s.text}`);
  return out;
}
