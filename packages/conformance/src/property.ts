import type { Property } from "@switchlab/explorer";
import { type Cell, mediatedPmuOf, type Symptom, type World } from "@switchlab/model";

/**
 * A conformance property: what must hold under every interleaving, with the symptom a kernel
 * developer would see when it does not and what goes wrong in the kernel then. `applies` says
 * whether it means anything on a cell (otherwise the cell is `not-applicable`). Each lives in
 * its own file under properties/, named by its id.
 */
export interface ConformanceProperty {
  readonly id: string;
  readonly title: string;
  /** The column header in fixed-width tables (the reports' legends map it back to the id). */
  readonly short: string;
  readonly symptom: string;
  /**
   * Which symptom of a counterexample's final world (model's symptomsOf) shows this property's
   * violation; without one, or when the world does not show it, the counterexample says `symptom`.
   */
  readonly worldSymptom?: Symptom["id"];
  /** One sentence: what goes wrong in the kernel when it is violated, and the kernel function that makes it matter. */
  readonly consequence: string;
  applies?(cell: Cell): boolean;
  /** Where it applies, for the `not-applicable` cells' message. */
  readonly appliesTo?: string;
  toExplorer(cell: Cell): Property<World>;
}

/** An `always` property of the explorer. */
export const always = (id: string, holds: (w: World) => boolean): Property<World> => ({ id, kind: "always", holds });

/** The property is about the mediated vPMU: it means something only on a cell that runs it. */
export function mediated(cell: Cell): boolean {
  return mediatedPmuOf(cell.scenario) !== undefined;
}

/** Where the mediated-vPMU properties apply, for the `not-applicable` cells' message. */
export const MEDIATED_ROWS = "rows with the mediated vPMU";
