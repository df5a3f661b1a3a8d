import { msrName, msrValueHex } from "@switchlab/hardware";
import type { KernelObserver } from "@switchlab/perf";
import type { Cell } from "./cell.js";
import { diffWorlds, timelineValues } from "./describe.js";
import type { ModelEnv } from "./env.js";
import type { Action } from "./machine.js";
import { type Symptom, symptomsOf } from "./symptoms.js";
import { staleBits, type World } from "./world.js";

/** Which swimlane of a timeline a choice belongs to. */
export type Lane = "kvm" | "host" | "nmi" | "hardware" | "guest";

/** The values a timeline draws after each step: the fields declared with `timeline`, in order. */
export type StepSnapshot = readonly { readonly label: string; readonly value: string }[];

/** One line of a trace: a choice taken, where, in which CPU mode, and what it did. */
export interface TraceStep {
  readonly n: number;
  readonly action: string;
  /** root, non-root, or NMI (an NMI taken in root). */
  readonly mode: string;
  /** The kernel function of the step that ran (or the hardware event), with its file and version. */
  readonly fn: string;
  /** The same, structured: kernel function name (empty for a hardware event), file, version. */
  readonly kernel: { readonly name: string; readonly file: string; readonly version: string };
  readonly lane: Lane;
  /** Calls, hardware events and printk lines, then the fields that changed. */
  readonly detail: readonly string[];
  /** Values after the step. */
  readonly after: StepSnapshot;
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

function kernelOf(cell: Cell, w: World, a: Action): { kernel: TraceStep["kernel"]; lane: Lane } {
  if (a.kind === "step") {
    const seq = w.host.act === 0 ? cell.env.seq.runLoop : w.host.act === 1 ? cell.env.seq.tick : cell.env.seq.sched;
    const s = seq.steps[w.host.act === 0 ? w.kvm.pc : w.host.pc];
    const lane: Lane = w.host.act === 0 ? "kvm" : "host";
    return { kernel: { name: s?.fn ?? "", file: s?.file ?? "", version: s?.version ?? "" }, lane };
  }
  const version = cell.scenario.kernel;
  if (a.kind === "tick")
    return { kernel: { name: "perf_event_task_tick", file: "kernel/events/core.c", version }, lane: "host" };
  if (a.kind === "sched")
    return { kernel: { name: "perf_event_sched", file: "kernel/events/core.c", version }, lane: "host" };
  if (a.kind === "nmi") {
    return w.hw.mode
      ? { kernel: { name: "", file: "NMI exiting: VM-exit", version: "SDM" }, lane: "hardware" }
      : {
          kernel: { name: "default_do_nmi", file: "arch/x86/kernel/nmi.c", version: cell.scenario.kernel },
          lane: "nmi",
        };
  }
  if (a.kind === "overflow")
    return { kernel: { name: "", file: `PMU: counter ${a.arg} overflow`, version: "SDM" }, lane: "hardware" };
  if (a.kind === "guest")
    return {
      kernel: { name: "", file: "guest: WRMSR of a passed-through PMU MSR (no VM-exit)", version: "SDM" },
      lane: "guest",
    };
  if (a.kind === "latent")
    return {
      kernel: {
        name: "",
        file: `PMU: latent PEBS assist of counter ${a.arg} (SDM Vol. 3B, Re-configuring PEBS Facilities)`,
        version: "SDM",
      },
      lane: "hardware",
    };
  return { kernel: { name: "", file: "VM-exit", version: "SDM" }, lane: "guest" };
}

function fnText(k: TraceStep["kernel"]): string {
  return k.name ? `${k.name} [${k.file} ${k.version}]` : k.file;
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
    const { kernel, lane } = kernelOf(cell, w, a);
    const next = cell.machine.apply(w, a, env);
    steps.push({
      n: i + 1,
      action: name,
      mode,
      fn: fnText(kernel),
      kernel,
      lane,
      detail: [...rec.lines, ...diffWorlds(w, next, env)],
      after: timelineValues(next, env),
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
