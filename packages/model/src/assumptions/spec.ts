import { z } from "zod";
import type { Action } from "../machine.js";
import type { Scenario } from "../scenario.js";
import type { World } from "../world.js";

/**
 * How an assumption's values are written. A count is an integer in [min, max], `max` read from
 * the state field that holds the value (never typed twice), and may have one word for the
 * absence of a bound ("unbounded", "none"). A choice is one of a few words.
 */
export type ValueShape =
  | { readonly kind: "count"; readonly min: number; readonly max: number; readonly word?: string }
  | { readonly kind: "choice"; readonly words: readonly string[] };

/** How `switchlab frontier` moves the assumption alone (explorer/src/minimax.ts, conformance/src/frontier). */
export interface FrontierSpec {
  /** The smallest value searched. */
  readonly floor: number;
  /** The largest value searched, unless `--ceiling` says otherwise (capped by the shape's max). */
  readonly ceiling: number;
  /**
   * More of it allows every interleaving less of it allows (and more), so a violation at v stays
   * a violation above v: the search may bisect, or use the rule as a minimax requirement.
   * Otherwise it steps one value at a time.
   */
  readonly monotone: boolean;
  /** Why it is (or is not) monotone, for the README and --help. */
  readonly why: string;
}

/**
 * The rule an assumption feeds: the smallest value of the assumption under which the model, built
 * at `at`, lets action `a` happen in world `w` (0: the action does not depend on it). The machine
 * allows `a` at value v exactly when `need(w, a, v) <= v` ({@link allows}); the frontier's minimax
 * exploration, built at its ceiling c, takes `(w, a) => need(w, a, c)` as the transition's
 * requirement. Writing the rule once is what keeps the two in step.
 */
export type Need = (w: World, a: Action, at: number) => number;

/**
 * One assumption a verdict rests on, declared once: its name and doc for people (title, unit,
 * help), for the command line (flag, environment variable), for reports (label, short name), the
 * values it takes (shape, default), where a scenario keeps it (read, write), how the frontier
 * moves it, and the rule the machine applies. Everything else (CLI options and their checks, the
 * frontier's dimensions and requirements, report labels, reproduce lines, the replay file's zod
 * fragment, the matrix JSON Schema's fragment) is derived from these records (index.ts).
 */
export interface AssumptionSpec<Id extends string = string, V = unknown> {
  /** The key in `Assumptions` and in the matrix JSON's `assumptions` object. */
  readonly id: Id;
  readonly title: string;
  /** The unit of a count ("insns"), or "". */
  readonly unit: string;
  /** The command-line option (`--pmi-latency`). */
  readonly flag: string;
  /** The environment variable the option falls back to. */
  readonly env: string;
  /** The option's help, without the argument syntax (derived from the shape) and the variable. */
  readonly help: string;
  /** The column name of narrow tables (e-mail). */
  readonly short: string;
  readonly shape: ValueShape;
  /** The value a scenario without one runs under; absent: every scenario states its own. */
  readonly default?: V;
  /** A scenario's value (its own, else the default). */
  read(sc: Scenario): V;
  /** The scenario with the value replaced. */
  write(sc: Scenario, v: V): Scenario;
  /** The words reports print for a value ("" prints nothing). */
  label(v: V): string;
  /** What joins the label to the one before it (default ", "). */
  readonly labelJoin?: string;
  /** How the frontier moves it; absent: the frontier leaves it alone. */
  readonly frontier?: FrontierSpec;
  /** The rule (absent: it gates no transition the machine offers, or is not monotone). */
  readonly need?: Need;
}

/** Any assumption, whatever its id and values (what a list of them holds). */
export type AnyAssumption = AssumptionSpec<string, unknown>;

/** Whether the rule lets action `a` happen in `w` under value `v` (Infinity: no bound). */
export function allows(need: Need, w: World, a: Action, v: number): boolean {
  return need(w, a, v) <= v;
}

/** A value an assumption cannot take: which assumption, and what is wrong (`must be ..., got ...`). */
export class AssumptionError extends Error {
  constructor(
    readonly assumption: AnyAssumption,
    readonly problem: string,
  ) {
    super(`${assumption.id} ${problem}`);
  }
}

/** The argument syntax of the option: `<insns|unbounded>`, `<n>`, `<hold|drop>`. */
export function argOf(a: AnyAssumption): string {
  const s = a.shape;
  if (s.kind === "choice") return `<${s.words.join("|")}>`;
  return `<${a.unit || "n"}${s.word ? `|${s.word}` : ""}>`;
}

/** A raw string (an option or an environment variable) as a value, or what is wrong with it. */
export function parseRaw(a: AnyAssumption, raw: string): { value: unknown } | { problem: string } {
  const s = a.shape;
  const t = raw.trim();
  if (s.kind === "choice")
    return s.words.includes(t) ? { value: t } : { problem: `must be ${s.words.join(" or ")}, got '${t}'` };
  if (s.word !== undefined && t === s.word) return { value: t };
  if (!/^\d+$/.test(t)) return { problem: `must be a non-negative integer, got '${t}'` };
  return { value: Number(t) };
}

/** What is wrong with a value, or undefined when the assumption can take it. */
export function problemOf(a: AnyAssumption, v: unknown): string | undefined {
  const s = a.shape;
  if (s.kind === "choice")
    return typeof v === "string" && s.words.includes(v) ? undefined : `must be ${s.words.join(" or ")}, got ${v}`;
  if (s.word !== undefined && v === s.word) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) return `must be a non-negative integer, got ${v}`;
  if (v < s.min) return `must be at least ${s.min}`;
  if (v > s.max)
    return `must be at most ${s.max}${a.unit ? ` ${a.unit}` : ""} (the state's field for it)${s.word ? ` or ${s.word}` : ""}, got ${v}`;
  return undefined;
}

/** The zod schema of a value (a replay file's `assumptions`). */
export function zodOf(a: AnyAssumption): z.ZodType {
  const s = a.shape;
  if (s.kind === "choice") return z.enum(s.words as [string, ...string[]]);
  const n = z.number().int().min(s.min);
  return s.word === undefined ? n : z.union([n, z.literal(s.word)]);
}

/** The JSON Schema of a value (conformance/schema/matrix.schema.json's `assumptions`). */
export function jsonSchemaOf(a: AnyAssumption): Record<string, unknown> {
  const s = a.shape;
  if (s.kind === "choice") return { enum: [...s.words] };
  const n = { type: "integer", minimum: s.min };
  return s.word === undefined ? n : { oneOf: [n, { const: s.word }] };
}
