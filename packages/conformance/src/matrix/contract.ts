/**
 * The matrix as tools and CI read it: `switchlab matrix --format json` prints one
 * MatrixResult. Fields may be added; none may be renamed (architecture.md).
 */
import type { Storage } from "@switchlab/explorer";
import type { Assumptions, TraceStep } from "@switchlab/model";
import type { CostTable } from "../costs/cost-table.js";
import type { CostRow } from "../costs/measure.js";
import type { FrontierResult } from "../frontier/contract.js";
import type { Strategy } from "../strategy.js";
import type { Verdict } from "../verdict.js";

/**
 * The contract's version. 2: the JSON keeps each counterexample once and cells refer to it
 * (json-form.ts); in memory a cell still holds its counterexample whole.
 */
export const MATRIX_SCHEMA = "switchlab.matrix/3";

/** The tool that made a matrix (merge refuses shards of different versions). */
export const TOOL = { name: "switchlab", version: "0.3.0" } as const;

export interface MatrixCell {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly property: string;
  readonly verdict: Verdict;
  /** What the exploration assumed: kernel, PMI latency, PEBS quiescent period, budgets. */
  readonly assumptions: Assumptions;
  /** Distinct states and transitions of the exploration of (policy, profile, scenario). */
  readonly states: number;
  readonly transitions: number;
  /** Every state reachable within the scenario's bounds was checked. */
  readonly complete: boolean;
  /** How the exploration told states apart, and the estimated chance two merged (TLC's estimate). */
  readonly storage?: Storage;
  /** The bound that stopped the exploration, if one did. */
  readonly bound?: { readonly name: string; readonly value: number; readonly env: string; readonly hint: string };
  readonly counterexample?: {
    readonly actions: readonly string[];
    readonly trace: readonly string[];
    /** The trace, structured for timelines: lane, kernel function, values after each step. */
    readonly timeline: readonly TraceStep[];
    readonly symptom: string;
    /** One command line that reproduces this counterexample. */
    readonly reproduce: string;
  };
  /** stale-bit-bounded: the longest run of a stale bit seen, in round trips (capped at bound + 1). */
  readonly longest?: number;
  /** Why the cell is `error`, `not-applicable`, `unknown` or `vacuous`. */
  readonly message?: string;
}

/** MatrixCell's keys in the one order every cell is written in (cellOf), so JSON round trips are byte-exact. */
export const CELL_KEYS = [
  "policy",
  "profile",
  "scenario",
  "property",
  "verdict",
  "assumptions",
  "states",
  "transitions",
  "complete",
  "storage",
  "bound",
  "longest",
  "counterexample",
  "message",
] as const satisfies readonly (keyof MatrixCell)[];

/** A cell with its keys in CELL_KEYS' order (and no undefined values). */
export function cellOf(c: MatrixCell): MatrixCell {
  const src = c as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of CELL_KEYS) if (src[k] !== undefined) out[k] = src[k];
  for (const [k, v] of Object.entries(src)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as unknown as MatrixCell;
}

/** A scenario's `sometimes` guard on one (policy, profile, scenario): was the window reached? */
export interface GuardResult {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly guard: string;
  readonly reached: boolean;
  readonly witness?: readonly string[];
}

export interface MatrixResult {
  readonly schema: typeof MATRIX_SCHEMA;
  readonly tool: { readonly name: string; readonly version: string };
  /** Present in a shard's output only (`matrix --shard i/n`); `switchlab merge` joins the shards. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** What the explorations ran under: the explorer's bounds and the search strategy. */
  readonly run: {
    readonly bounds: { readonly maxDepth: number; readonly maxStates: number; readonly timeLimitMs: number };
    readonly strategy: Strategy;
    /** Every state's words were kept (no fingerprint collision possible). */
    readonly exact: boolean;
  };
  readonly policies: readonly {
    id: string;
    title: string;
    upstream: { cite: string; url: string };
    touches: readonly string[];
  }[];
  readonly profiles: readonly {
    id: string;
    title: string;
    pebsNoIsolation: boolean;
    pmuVersion: number;
    model: number;
    stepping: number;
    microcode: number;
  }[];
  readonly scenarios: readonly {
    id: string;
    title: string;
    kernel: string;
    /** How KVM switches the PMU in this row: the MSR-load lists, or the mediated vPMU (kvm.enable_mediated_pmu). */
    switchPath?: "msr-lists" | "mediated";
    source?: string;
    guards: readonly string[];
  }[];
  readonly properties: readonly { id: string; title: string; symptom: string }[];
  readonly cells: readonly MatrixCell[];
  readonly guards: readonly GuardResult[];
  /** Steady-state MSR traffic and cycles of one VM round trip per (policy, profile, scenario). */
  readonly costs: readonly CostRow[];
  /** The cost table the cycles come from (estimates, with sources). */
  readonly costTable: CostTable;
  /** Plugins that could not be loaded, with their paths; the rest of the matrix ran. */
  readonly problems: readonly { path: string; message: string }[];
  /**
   * Each policy's frontier summary ("holds up to" per assumption), from `switchlab frontier` over
   * the same inputs and build (computed with `matrix --frontier`, or read from its cache).
   */
  readonly frontier?: {
    readonly summary: FrontierResult["summary"];
    readonly dimensions: FrontierResult["dimensions"];
    readonly explorations: number;
    readonly source: "computed" | "cache";
  };
}

export type { Verdict } from "../verdict.js";
