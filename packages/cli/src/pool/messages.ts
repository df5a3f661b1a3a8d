import type { CostTable, DimensionId, FrontierRowResult, JobResult, Strategy } from "@switchlab/conformance";
import type { Bounds } from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import type { ProbeSequence, ReachData, Scenario } from "@switchlab/model";

/**
 * The protocol between the pool (pool.ts) and its workers (worker.ts). Everything crosses as
 * data (structured clone): profiles, scenarios with their assumptions, bounds and cost tables;
 * a policy is named by its id (its folder) and imported by the worker itself.
 */

/** What a worker is started with. */
export interface WorkerSetup {
  /** The root whose policies/ folder holds the plugin. */
  readonly root: string;
  /** The probe's shared words (model/src/probe.ts). */
  readonly probe: SharedArrayBuffer;
}

/** What every row names: its place in matrix order, the policy (its id, its folder), the row, how to explore it. */
interface RowTask {
  readonly ordinal: number;
  readonly policy: string;
  readonly profile: HardwareProfile;
  readonly scenario: Scenario;
  readonly bounds: Bounds;
  readonly strategy: Strategy;
  readonly exact: boolean;
  /** The baseline's row: note what its exploration reaches, and say it in the reply. */
  readonly recordReach?: boolean;
  /**
   * Another policy's row whose baseline row reached this: when the policy changes nothing in
   * it, the worker replies `same` instead of exploring (the pool answers with the baseline's row).
   */
  readonly baselineReach?: ReachData;
}

/** One exploration row: a matrix row, or a frontier row. */
export type Task =
  | (RowTask & { readonly kind: "matrix"; readonly costTable: CostTable })
  | (RowTask & {
      readonly kind: "frontier";
      readonly dimensions?: readonly DimensionId[];
      readonly ceilings: Readonly<Partial<Record<DimensionId, number>>>;
      readonly properties?: readonly string[];
    });

/** What a worker says back. */
export type Reply =
  | { readonly kind: "ready" }
  | { readonly kind: "load-failed"; readonly ordinal: number; readonly message: string }
  | { readonly kind: "steps"; readonly sequences: Readonly<Record<ProbeSequence, readonly string[]>> }
  /** `reads`: the profile's fields the row's exploration read (id aside), sorted (cache/rows.ts). */
  | {
      readonly kind: "matrix";
      readonly result: JobResult;
      readonly reads: readonly string[];
      /** With recordReach, when the policy is upstream's (it changes nothing): what the row reached. */
      readonly reach?: ReachData;
    }
  /** The policy changes nothing the task's baselineReach names: its row is the baseline's. */
  | { readonly kind: "same"; readonly ordinal: number }
  | {
      readonly kind: "frontier";
      readonly result: FrontierRowResult;
      readonly reads: readonly string[];
      readonly reach?: ReachData;
    }
  | { readonly kind: "failed"; readonly ordinal: number; readonly message: string };
