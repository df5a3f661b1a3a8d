import type { TraceStep } from "@switchlab/model";
import { MATRIX_SCHEMA, type MatrixCell, type MatrixResult } from "./contract.js";

/**
 * The matrix as `--format json` writes it (switchlab.matrix/2, `schema/matrix.schema.json`):
 * the MatrixResult, except that each distinct counterexample (a row and a path) is kept once in
 * `counterexamples`, with its trace and timeline, and a cell names it by index (`ref`) with its
 * own symptom and reproduce line. In a timeline, a step may give only the values that changed
 * since the step before (`afterChanged`) instead of all of them (`after`). fromJsonForm gives
 * back exactly the MatrixResult toJsonForm was given.
 */
export interface CounterexampleJson {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly actions: readonly string[];
  /** The trace's lines after its steps' (the symptoms), where the steps' lines are what the timeline gives. */
  readonly traceTail?: readonly string[];
  /** The whole trace, where it is not the timeline's lines and a tail. */
  readonly trace?: readonly string[];
  readonly timeline: readonly TimelineStepJson[];
}

export type TimelineStepJson = Omit<TraceStep, "after"> &
  ({ readonly after: TraceStep["after"] } | { readonly afterChanged: TraceStep["after"] });

export type CellJson = Omit<MatrixCell, "counterexample"> & {
  readonly counterexample?: { readonly ref: number; readonly symptom: string; readonly reproduce: string };
};

export type MatrixJson = Omit<MatrixResult, "cells"> & {
  readonly cells: readonly CellJson[];
  readonly counterexamples: readonly CounterexampleJson[];
};

/** A document that is not a matrix this version reads. */
export class MatrixJsonError extends Error {}

type After = TraceStep["after"];

function changed(prev: After | undefined, next: After): After | undefined {
  if (!prev) return undefined;
  const was = new Map(prev.map((e) => [e.label, e.value]));
  const delta = next.filter((e) => was.get(e.label) !== e.value);
  // Only where putting the changes into the previous values gives the same list back.
  return JSON.stringify(applyChanges(prev, delta)) === JSON.stringify(next) ? delta : undefined;
}

function applyChanges(prev: After, delta: After): After {
  const by = new Map(delta.map((e) => [e.label, e.value]));
  return prev.map((e) => (by.has(e.label) ? { label: e.label, value: by.get(e.label) as string } : e));
}

/** The trace lines of the steps of a timeline (model's renderTrace, first part). */
function stepLines(steps: readonly TraceStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    out.push(`${String(s.n).padStart(4)}  ${s.mode.padEnd(8)}  ${s.action}  <${s.fn}>`);
    for (const d of s.detail) out.push(`${" ".repeat(16)}| ${d}`);
  }
  return out;
}

/** A trace as the tail after its steps' lines, when it is that; else undefined. */
function tailOf(trace: readonly string[], steps: readonly TraceStep[]): string[] | undefined {
  const head = stepLines(steps);
  if (head.length > trace.length || head.some((l, i) => trace[i] !== l)) return undefined;
  return trace.slice(head.length);
}

function encodeTimeline(steps: readonly TraceStep[]): TimelineStepJson[] {
  let prev: After | undefined;
  return steps.map((s) => {
    const { after, ...rest } = s;
    const delta = changed(prev, after);
    prev = after;
    return delta ? { ...rest, afterChanged: delta } : { ...rest, after };
  });
}

function decodeTimeline(steps: readonly TimelineStepJson[]): TraceStep[] {
  let prev: After = [];
  return steps.map((s) => {
    if ("afterChanged" in s) {
      const { afterChanged, ...rest } = s;
      prev = applyChanges(prev, afterChanged);
      return { ...rest, after: prev };
    }
    prev = s.after;
    return s as TraceStep;
  });
}

export function toJsonForm(m: MatrixResult): MatrixJson {
  const index = new Map<string, number>();
  const table: CounterexampleJson[] = [];
  const cells = m.cells.map((c): CellJson => {
    const cx = c.counterexample;
    if (!cx) return c as CellJson;
    const key = JSON.stringify([c.policy, c.profile, c.scenario, cx.actions]);
    let ref = index.get(key);
    if (ref === undefined) {
      ref = table.length;
      index.set(key, ref);
      table.push({
        policy: c.policy,
        profile: c.profile,
        scenario: c.scenario,
        actions: cx.actions,
        ...((tail) => (tail ? { traceTail: tail } : { trace: cx.trace }))(tailOf(cx.trace, cx.timeline)),
        timeline: encodeTimeline(cx.timeline),
      });
    }
    return { ...c, counterexample: { ref, symptom: cx.symptom, reproduce: cx.reproduce } };
  });
  // The same keys in the same order, with the counterexamples right after the cells.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    out[k] = k === "cells" ? cells : v;
    if (k === "cells") out.counterexamples = table;
  }
  return out as MatrixJson;
}

export function fromJsonForm(j: unknown): MatrixResult {
  const doc = j as Partial<MatrixJson> | null;
  if (!doc || typeof doc !== "object" || doc.schema !== MATRIX_SCHEMA)
    throw new MatrixJsonError(`not a ${MATRIX_SCHEMA} document (schema: ${JSON.stringify(doc?.schema ?? null)})`);
  const table = doc.counterexamples ?? [];
  const decoded = new Map<number, { actions: readonly string[]; trace: readonly string[]; timeline: TraceStep[] }>();
  const cells = (doc.cells ?? []).map((c): MatrixCell => {
    const r = c.counterexample;
    if (!r) return c as MatrixCell;
    let d = decoded.get(r.ref);
    if (!d) {
      const e = table[r.ref];
      if (!e) throw new MatrixJsonError(`a cell names counterexample ${r.ref}, which the document does not have`);
      const timeline = decodeTimeline(e.timeline);
      const trace = e.trace ?? [...stepLines(timeline), ...(e.traceTail ?? [])];
      d = { actions: e.actions, trace, timeline };
      decoded.set(r.ref, d);
    }
    return {
      ...c,
      counterexample: {
        actions: d.actions,
        trace: d.trace,
        timeline: d.timeline,
        symptom: r.symptom,
        reproduce: r.reproduce,
      },
    };
  });
  const { counterexamples: _t, ...rest } = doc as MatrixJson;
  return { ...rest, cells } as MatrixResult;
}

/**
 * The JSON text of a matrix: two-space indentation, except that each entry of the
 * counterexamples table is one line (they are most of the document, and are read by tools).
 */
export function matrixJsonText(m: MatrixResult): string {
  const doc = toJsonForm(m);
  const mark = "\u0000counterexamples\u0000";
  const text = JSON.stringify({ ...doc, counterexamples: mark }, null, 2);
  const table = doc.counterexamples.length
    ? `[\n${doc.counterexamples.map((c) => `    ${JSON.stringify(c)}`).join(",\n")}\n  ]`
    : "[]";
  return `${text.replace(JSON.stringify(mark), () => table)}\n`;
}
