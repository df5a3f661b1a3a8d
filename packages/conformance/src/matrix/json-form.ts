import { createHash } from "node:crypto";
import type { Storage } from "@switchlab/explorer";
import type { Assumptions, TraceStep } from "@switchlab/model";
import { sharedFailures } from "../answer/answer.js";
import { cellOf, type GuardResult, MATRIX_SCHEMA, type MatrixCell, type MatrixResult } from "./contract.js";
import { placeOf, rowKey } from "./row.js";

/**
 * The matrix as `--format json` writes it (switchlab.matrix/3, `schema/matrix.schema.json`): the
 * MatrixResult, made compact enough to post and to load (the default matrix: 56 MB at /2).
 * - `rows`: what an exploration's cells share, once: its assumptions and how it stored states.
 *   A cell carries them only where they differ from its row's.
 * - `counterexamples`: each distinct counterexample (a row and a path) once; a cell names it by
 *   index (`ref`) with its own symptom and reproduce line.
 * - `strings`: every string of the counterexamples' actions, traces and timelines, and of the
 *   guards' witnesses, once; those hold indices into it. A timeline step is one array:
 *   [n, action, mode, fn, kernel name, kernel file, kernel version, lane, full, detail count,
 *   ...detail, ...label/value pairs], `full` 1 when the pairs are every value after the step, 0
 *   when they are only those that changed since the step before.
 * - `findings`: the rows every policy of the run fails (independent of the patch), derived.
 * - `digest`: a SHA-256 of the rows, cells, counterexamples, guards, costs and strings, so that a
 *   document edited after switchlab wrote it (a shard with cells removed) is refused.
 * fromJsonForm gives back exactly the MatrixResult toJsonForm was given.
 */
export interface RowJson {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly assumptions: Assumptions;
  readonly storage?: Storage;
}

export interface CounterexampleJson {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly actions: readonly number[];
  /** The trace's lines after its steps' (the symptoms), where the steps' lines are what the timeline gives. */
  readonly traceTail?: readonly number[];
  /** The whole trace, where it is not the timeline's lines and a tail. */
  readonly trace?: readonly number[];
  readonly steps: readonly (readonly number[])[];
}

export type CellJson = Omit<MatrixCell, "counterexample" | "assumptions" | "storage"> & {
  readonly assumptions?: Assumptions;
  readonly storage?: Storage;
  readonly counterexample?: { readonly ref: number; readonly symptom: string; readonly reproduce: string };
};

export type GuardJson = Omit<GuardResult, "witness"> & { readonly witness?: readonly number[] };

export type MatrixJson = Omit<MatrixResult, "cells" | "guards"> & {
  readonly rows: readonly RowJson[];
  readonly cells: readonly CellJson[];
  readonly counterexamples: readonly CounterexampleJson[];
  readonly guards: readonly GuardJson[];
  readonly findings: readonly { readonly profile: string; readonly scenario: string; readonly property: string }[];
  readonly strings: readonly string[];
  readonly digest: string;
};

/** What a document's digest covers: its results, as JSON. */
function digestOf(d: Pick<MatrixJson, "rows" | "cells" | "counterexamples" | "guards" | "costs" | "strings">): string {
  const h = createHash("sha256");
  for (const part of [d.rows, d.cells, d.counterexamples, d.guards, d.costs, d.strings]) h.update(JSON.stringify(part));
  return `sha256:${h.digest("hex")}`;
}

/** A document that is not a matrix this version reads. */
export class MatrixJsonError extends Error {}

type After = TraceStep["after"];

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

/** The values that changed since `prev`, where putting them into `prev` gives `next` back. */
function changed(prev: After | undefined, next: After): After | undefined {
  if (!prev) return undefined;
  const was = new Map(prev.map((e) => [e.label, e.value]));
  const delta = next.filter((e) => was.get(e.label) !== e.value);
  const back = applyChanges(prev, delta);
  if (back.length !== next.length) return undefined;
  for (let i = 0; i < back.length; i++)
    if (back[i]!.label !== next[i]!.label || back[i]!.value !== next[i]!.value) return undefined;
  return delta;
}

function applyChanges(prev: After, delta: After): After {
  const by = new Map(delta.map((e) => [e.label, e.value]));
  return prev.map((e) => (by.has(e.label) ? { label: e.label, value: by.get(e.label) as string } : e));
}

/** Strings interned in first-use order, so the same matrix always gives the same table. */
class Interner {
  readonly table: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.table.length;
      this.index.set(s, i);
      this.table.push(s);
    }
    return i;
  }
  all(xs: readonly string[]): number[] {
    return xs.map((s) => this.of(s));
  }
}

function encodeSteps(steps: readonly TraceStep[], s: Interner): number[][] {
  let prev: After | undefined;
  return steps.map((st) => {
    const delta = changed(prev, st.after);
    prev = st.after;
    const pairs = (delta ?? st.after).flatMap((e) => [s.of(e.label), s.of(e.value)]);
    return [
      st.n,
      s.of(st.action),
      s.of(st.mode),
      s.of(st.fn),
      s.of(st.kernel.name),
      s.of(st.kernel.file),
      s.of(st.kernel.version),
      s.of(st.lane),
      delta ? 0 : 1,
      st.detail.length,
      ...s.all(st.detail),
      ...pairs,
    ];
  });
}

function decodeSteps(steps: readonly (readonly number[])[], str: (i: number) => string): TraceStep[] {
  let prev: After = [];
  return steps.map((a) => {
    const nDetail = a[9] as number;
    const detail = a.slice(10, 10 + nDetail).map(str);
    const pairs: { label: string; value: string }[] = [];
    for (let i = 10 + nDetail; i + 1 < a.length; i += 2)
      pairs.push({ label: str(a[i] as number), value: str(a[i + 1] as number) });
    prev = a[8] === 1 ? pairs : applyChanges(prev, pairs);
    return {
      n: a[0] as number,
      action: str(a[1] as number),
      mode: str(a[2] as number),
      fn: str(a[3] as number),
      kernel: { name: str(a[4] as number), file: str(a[5] as number), version: str(a[6] as number) },
      lane: str(a[7] as number) as TraceStep["lane"],
      detail,
      after: prev,
    };
  });
}

const rowOf = rowKey;

export function toJsonForm(m: MatrixResult): MatrixJson {
  const s = new Interner();
  const rows: RowJson[] = [];
  const rowIndex = new Map<string, RowJson>();
  const cxIndex = new Map<string, number>();
  const table: CounterexampleJson[] = [];
  const cells = m.cells.map((c): CellJson => {
    const k = rowOf(c);
    let row = rowIndex.get(k);
    if (!row) {
      row = {
        policy: c.policy,
        profile: c.profile,
        scenario: c.scenario,
        assumptions: c.assumptions,
        ...(c.storage ? { storage: c.storage } : {}),
      };
      rowIndex.set(k, row);
      rows.push(row);
    }
    const { counterexample: cx, assumptions, storage, ...rest } = c;
    const own = {
      ...(JSON.stringify(assumptions) !== JSON.stringify(row.assumptions) ? { assumptions } : {}),
      ...(JSON.stringify(storage) !== JSON.stringify(row.storage) ? { storage: storage ?? (null as never) } : {}),
    };
    if (!cx) return { ...rest, ...own };
    const key = JSON.stringify([c.policy, c.profile, c.scenario, cx.actions]);
    let ref = cxIndex.get(key);
    if (ref === undefined) {
      ref = table.length;
      cxIndex.set(key, ref);
      const tail = tailOf(cx.trace, cx.timeline);
      table.push({
        policy: c.policy,
        profile: c.profile,
        scenario: c.scenario,
        actions: s.all(cx.actions),
        ...(tail ? { traceTail: s.all(tail) } : { trace: s.all(cx.trace) }),
        steps: encodeSteps(cx.timeline, s),
      });
    }
    return { ...rest, ...own, counterexample: { ref, symptom: cx.symptom, reproduce: cx.reproduce } };
  });
  const guards = m.guards.map((g): GuardJson => {
    const { witness, ...rest } = g;
    return witness ? { ...rest, witness: s.all(witness) } : rest;
  });
  const findings = [...sharedFailures(m)].map(placeOf);
  // The same keys in the same order: rows before the cells, the counterexamples after them,
  // the derived findings and the string table last.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === "cells") out.rows = rows;
    out[k] = k === "cells" ? cells : k === "guards" ? guards : v;
    if (k === "cells") out.counterexamples = table;
  }
  out.findings = findings;
  out.strings = s.table;
  out.digest = digestOf(out as unknown as MatrixJson);
  return out as MatrixJson;
}

export function fromJsonForm(j: unknown): MatrixResult {
  const doc = j as Partial<MatrixJson> | null;
  if (!doc || typeof doc !== "object" || doc.schema !== MATRIX_SCHEMA)
    throw new MatrixJsonError(`not a ${MATRIX_SCHEMA} document (schema: ${JSON.stringify(doc?.schema ?? null)})`);
  if (doc.digest !== digestOf(doc as MatrixJson))
    throw new MatrixJsonError(
      "a document whose results do not match its digest: it was changed after switchlab wrote it",
    );
  const strings = doc.strings ?? [];
  const str = (i: number) => {
    const v = strings[i];
    if (v === undefined) throw new MatrixJsonError(`string ${i} is not in the document's strings`);
    return v;
  };
  const rows = new Map((doc.rows ?? []).map((r) => [rowOf(r), r]));
  const table = doc.counterexamples ?? [];
  const decoded = new Map<number, { actions: readonly string[]; trace: readonly string[]; timeline: TraceStep[] }>();
  const cells = (doc.cells ?? []).map((c): MatrixCell => {
    const row = rows.get(rowOf(c));
    if (!row && !c.assumptions)
      throw new MatrixJsonError(`a cell of ${c.policy}/${c.profile}/${c.scenario} has no row`);
    const { counterexample: r, assumptions, storage, ...rest } = c;
    const base = {
      ...rest,
      assumptions: assumptions ?? (row as RowJson).assumptions,
      ...((storage === undefined ? row?.storage : storage) ? { storage: storage ?? row?.storage } : {}),
    };
    if (!r) return cellOf(base as MatrixCell);
    let d = decoded.get(r.ref);
    if (!d) {
      const e = table[r.ref];
      if (!e) throw new MatrixJsonError(`a cell names counterexample ${r.ref}, which the document does not have`);
      const timeline = decodeSteps(e.steps, str);
      const trace = e.trace ? e.trace.map(str) : [...stepLines(timeline), ...(e.traceTail ?? []).map(str)];
      d = { actions: e.actions.map(str), trace, timeline };
      decoded.set(r.ref, d);
    }
    return cellOf({
      ...base,
      counterexample: {
        actions: d.actions,
        trace: d.trace,
        timeline: d.timeline,
        symptom: r.symptom,
        reproduce: r.reproduce,
      },
    } as MatrixCell);
  });
  const guards = (doc.guards ?? []).map((g): GuardResult => {
    const { witness, ...rest } = g;
    return witness ? { ...rest, witness: witness.map(str) } : rest;
  });
  const { counterexamples: _t, rows: _r, findings: _f, strings: _s, digest: _d, ...rest } = doc as MatrixJson;
  return { ...rest, cells, guards } as MatrixResult;
}

/**
 * The JSON text of a matrix: two-space indentation, except that each entry of the rows, cells,
 * counterexamples and guards is one line (they are most of the document, a line per entry suits
 * grep and line-based tools), and the string table is one line.
 */
export function matrixJsonText(m: MatrixResult): string {
  const doc = toJsonForm(m) as unknown as Record<string, unknown>;
  const LINES = ["rows", "cells", "counterexamples", "guards"];
  const marks: Record<string, unknown> = {};
  for (const k of [...LINES, "strings"]) marks[k] = `\u0000${k}\u0000`;
  let text = JSON.stringify({ ...doc, ...marks }, null, 2);
  for (const k of LINES) {
    const list = doc[k] as unknown[];
    const body = list.length ? `[\n${list.map((x) => `    ${JSON.stringify(x)}`).join(",\n")}\n  ]` : "[]";
    text = text.replace(JSON.stringify(marks[k]), () => body);
  }
  text = text.replace(JSON.stringify(marks.strings), () => JSON.stringify(doc.strings));
  return `${text}\n`;
}
