import { CompiledSequence, type Sequence, type Step } from "./step.js";

/** One change a policy made to a sequence, kept so `show-policy` can print the patch. */
export interface SequenceEdit {
  readonly op: "replace" | "insert-before" | "insert-after" | "remove" | "replace-run";
  readonly sequence: string;
  readonly step: string;
  readonly newStep?: string;
}

/** A policy's patch went wrong: the message names the sequence, the step, and the valid ids. */
export class SequencePatchError extends Error {}

/**
 * The patch operations a policy may apply to the kernel's step sequences: replace, insert or
 * remove steps, or replace what a step runs. Every operation names its target by id and fails
 * loudly, listing the valid ids, when the target does not exist.
 */
export class SequenceEditor<W, E> {
  private readonly seqs = new Map<string, { title: string; steps: Step<W, E>[]; entries: Map<string, string> }>();
  readonly edits: SequenceEdit[] = [];

  constructor(sequences: Iterable<Sequence<W, E>>) {
    for (const s of sequences) this.seqs.set(s.id, { title: s.title, steps: [...s.steps], entries: new Map() });
  }

  private steps(seq: string): Step<W, E>[] {
    const s = this.seqs.get(seq);
    if (!s) throw new SequencePatchError(`no sequence ${seq}; sequences: ${[...this.seqs.keys()].join(", ")}`);
    return s.steps;
  }

  private find(seq: string, stepId: string): number {
    const steps = this.steps(seq);
    const i = steps.findIndex((s) => s.id === stepId);
    if (i < 0)
      throw new SequencePatchError(
        `sequence ${seq} has no step ${stepId}; steps: ${steps.map((s) => s.id).join(", ")}`,
      );
    return i;
  }

  /** Ids of a sequence's steps, in order. */
  stepIds(seq: string): string[] {
    return this.steps(seq).map((s) => s.id);
  }

  /** Replace a step; steps inserted before it stay its entry (under the new step's id). */
  replace(seq: string, stepId: string, step: Step<W, E>): this {
    this.steps(seq)[this.find(seq, stepId)] = step;
    const entries = this.seqs.get(seq)?.entries as Map<string, string>;
    const e = entries.get(stepId);
    if (e !== undefined && step.id !== stepId) {
      entries.delete(stepId);
      entries.set(step.id, e);
    }
    this.edits.push({ op: "replace", sequence: seq, step: stepId, newStep: step.id });
    return this;
  }

  /**
   * Insert a step right before another. The new step runs on every path into the target: jumps
   * to the target land on it (see CompiledSequence), as code added at the top of a label's
   * block does in C.
   */
  insertBefore(seq: string, stepId: string, step: Step<W, E>): this {
    const steps = this.steps(seq);
    const at = this.find(seq, stepId);
    const entries = this.seqs.get(seq)?.entries as Map<string, string>;
    if (!entries.has(stepId)) entries.set(stepId, step.id);
    steps.splice(at, 0, step);
    this.edits.push({ op: "insert-before", sequence: seq, step: stepId, newStep: step.id });
    return this;
  }

  insertAfter(seq: string, stepId: string, step: Step<W, E>): this {
    this.steps(seq).splice(this.find(seq, stepId) + 1, 0, step);
    this.edits.push({ op: "insert-after", sequence: seq, step: stepId, newStep: step.id });
    return this;
  }

  remove(seq: string, stepId: string): this {
    this.steps(seq).splice(this.find(seq, stepId), 1);
    const entries = this.seqs.get(seq)?.entries as Map<string, string>;
    // Jumps to a removed step have nowhere to land: compiling will name it. Steps inserted
    // before it stay where they are.
    entries.delete(stepId);
    for (const [k, v] of entries) if (v === stepId) entries.delete(k);
    this.edits.push({ op: "remove", sequence: seq, step: stepId });
    return this;
  }

  /** Keep the step's id and kernel citation, change what it runs (the function body changes). */
  replaceRun(seq: string, stepId: string, run: Step<W, E>["run"], version?: string): this {
    const steps = this.steps(seq);
    const i = this.find(seq, stepId);
    const old = steps[i] as Step<W, E>;
    steps[i] = { ...old, run, version: version ?? old.version };
    this.edits.push({ op: "replace-run", sequence: seq, step: stepId });
    return this;
  }

  /** The patched sequences, compiled. */
  compile(): Map<string, CompiledSequence<W, E>> {
    const out = new Map<string, CompiledSequence<W, E>>();
    for (const [id, s] of this.seqs) out.set(id, new CompiledSequence(id, s.title, s.steps, s.entries));
    return out;
  }
}
