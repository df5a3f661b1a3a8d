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
  /**
   * The length of the kernel code the step stands for, in instructions (an estimate; a function
   * when it depends on the path taken). PMI delivery latency is bounded in instructions, so this
   * is how far a PMI raised before the step may still be taken after it.
   */
  readonly insns: number | ((w: W, env: E) => number);
  /** Run the step on a world it may change in place; return the id of the next step to jump to, or nothing to fall through. */
  run(w: W, env: E): string | undefined;
  /** Optional detail for the point name while a loop runs, e.g. the MSR being switched. */
  label?(w: W, env: E): string;
}

/** A step from its id, the kernel function, file and version it follows, its length in instructions, and what it runs. */
export function step<W, E>(
  id: string,
  fn: string,
  file: string,
  version: string,
  insns: Step<W, E>["insns"],
  run: Step<W, E>["run"],
  label?: Step<W, E>["label"],
): Step<W, E> {
  return label ? { id, fn, file, version, insns, run, label } : { id, fn, file, version, insns, run };
}

/** A named sequence of steps: one kernel code path (the vCPU run loop, the PMI handler, a tick). */
export interface Sequence<W, E> {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly Step<W, E>[];
}

/**
 * A sequence ready to run: steps by position, and for every id the position a jump to it lands
 * on. That is the step's own position, unless steps were inserted before it (SequenceEditor):
 * then it is the first of them, so inserted code runs on every path into the step, by fall-through
 * or by a jump, as code added at the top of a label's block does in C.
 */
export class CompiledSequence<W, E> {
  readonly index: ReadonlyMap<string, number>;
  /** Position of each step, where a jump to it lands (its entry). */
  readonly entry: ReadonlyMap<string, number>;
  constructor(
    readonly id: string,
    readonly title: string,
    readonly steps: readonly Step<W, E>[],
    /** Step id -> the id of the first step inserted before it (jumps land there). */
    private readonly entries: ReadonlyMap<string, string> = new Map(),
  ) {
    const index = new Map<string, number>();
    steps.forEach((s, i) => {
      if (index.has(s.id)) throw new Error(`sequence ${id}: duplicate step id ${s.id}`);
      index.set(s.id, i);
    });
    this.index = index;
    const entry = new Map<string, number>();
    for (const s of steps) {
      let e = s.id;
      for (let seen = 0; entries.has(e) && seen < steps.length; seen++) e = entries.get(e) as string;
      entry.set(s.id, index.get(e) ?? (index.get(s.id) as number));
    }
    this.entry = entry;
  }

  /**
   * The same sequence (ids, positions, where jumps land) with each step replaced by f(step), which
   * must keep its id: how a row records which steps it ran (model/src/reach.ts).
   */
  withSteps(f: (s: Step<W, E>) => Step<W, E>): CompiledSequence<W, E> {
    const steps = this.steps.map((s) => {
      const t = f(s);
      if (t.id !== s.id) throw new Error(`sequence ${this.id}: withSteps changed step ${s.id} into ${t.id}`);
      return t;
    });
    return new CompiledSequence(this.id, this.title, steps, this.entries);
  }

  /** Where a jump to a step id lands; throws naming the valid ids (a bad jump is a model bug). */
  at(stepId: string): number {
    const i = this.entry.get(stepId);
    if (i === undefined)
      throw new Error(`sequence ${this.id} has no step ${stepId}; steps: ${[...this.index.keys()].join(", ")}`);
    return i;
  }

  /** Position of a step itself (not of code inserted before it). */
  positionOf(stepId: string): number {
    const i = this.index.get(stepId);
    if (i === undefined)
      throw new Error(`sequence ${this.id} has no step ${stepId}; steps: ${[...this.index.keys()].join(", ")}`);
    return i;
  }

  /** The instructions the step at pc stands for, on this path. */
  insnsAt(pc: number, w: W, env: E): number {
    const n = this.steps[pc]?.insns ?? 0;
    return typeof n === "number" ? n : n(w, env);
  }

  /** Run the step at pc and return the next pc (END when the sequence falls off its end). */
  runAt(pc: number, w: W, env: E): number {
    const step = this.steps[pc];
    if (!step) throw new Error(`sequence ${this.id}: no step at pc ${pc}`);
    const next = step.run(w, env);
    return next === undefined ? pc + 1 : this.at(next);
  }
}
