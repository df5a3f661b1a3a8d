/**
 * Kernel code as sequences of named atomic steps.
 *
 * A step models a stretch of a kernel function that no NMI or hardware event can split in a way
 * that matters; between two steps anything the hardware allows may happen. Every step names the
 * kernel function, file and version it follows, so a trace line can be held beside the C.
 */
export interface Step<W, E> {
  /** Unique within its sequence: `function:label`, e.g. `atomic_switch_perf_msrs:perf_guest_get_msrs`. */
  readonly id: string;
  /** The kernel function this step models, e.g. `add_atomic_switch_msr`. */
  readonly fn: string;
  /** The kernel file, e.g. `arch/x86/kvm/vmx/vmx.c`. */
  readonly file: string;
  /** The kernel version the step follows, e.g. `v5.11`. */
  readonly version: string;
  /** Run the step on a world it may change in place; return the id of the next step to jump to, or nothing to fall through. */
  run(w: W, env: E): string | undefined;
  /** Optional detail for the point name while a loop runs, e.g. the MSR being switched. */
  label?(w: W, env: E): string;
}

/** A step from its id, the kernel function, file and version it follows, and what it runs. */
export function step<W, E>(
  id: string,
  fn: string,
  file: string,
  version: string,
  run: Step<W, E>["run"],
  label?: Step<W, E>["label"],
): Step<W, E> {
  return label ? { id, fn, file, version, run, label } : { id, fn, file, version, run };
}

/** A named sequence of steps: one kernel code path (the vCPU run loop, the PMI handler, a tick). */
export interface Sequence<W, E> {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly Step<W, E>[];
}

/** A sequence ready to run: steps by position plus the index of every id, for jumps. */
export class CompiledSequence<W, E> {
  readonly index: ReadonlyMap<string, number>;
  constructor(
    readonly id: string,
    readonly title: string,
    readonly steps: readonly Step<W, E>[],
  ) {
    const index = new Map<string, number>();
    steps.forEach((s, i) => {
      if (index.has(s.id)) throw new Error(`sequence ${id}: duplicate step id ${s.id}`);
      index.set(s.id, i);
    });
    this.index = index;
  }

  /** Position of a step id; throws naming the valid ids (a bad jump is a model bug). */
  at(stepId: string): number {
    const i = this.index.get(stepId);
    if (i === undefined)
      throw new Error(`sequence ${this.id} has no step ${stepId}; steps: ${[...this.index.keys()].join(", ")}`);
    return i;
  }

  /** Run the step at pc and return the next pc (END when the sequence falls off its end). */
  runAt(pc: number, w: W, env: E): number {
    const step = this.steps[pc];
    if (!step) throw new Error(`sequence ${this.id}: no step at pc ${pc}`);
    const next = step.run(w, env);
    return next === undefined ? pc + 1 : this.at(next);
  }
}
