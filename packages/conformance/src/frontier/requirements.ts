import type { Requirement } from "@switchlab/explorer";
import { type Action, type AnyAssumption, ASSUMPTIONS, assumptionById, type World } from "@switchlab/model";

/**
 * What each transition asks of one monotone assumption, in a model built at the dimension's
 * ceiling `c` (explorer/src/minimax.ts): the smallest value under which the model at that value
 * offers the transition. It is the assumption's own rule (its record's `need`, model/src/
 * assumptions/), the one the machine calls to allow the transition at the row's value:
 * - PMI latency L: while a PMI is deliverable and NMIs are not blocked, anything but the NMI needs
 *   its age below L (machine.due);
 * - PEBS quiescent period Q: a latent assist of counter k needs its age below Q;
 * - budgets B (overflows, NMIs, ticks): the k-th use needs B >= k, and k = c - what is left + 1;
 * - the per-event cap: an overflow of an event needs the cap above its overflows so far.
 * Nothing else in the states depends on these values (the ages and budgets only gate these
 * transitions), so the model at a value v has exactly the paths of the ceiling model whose
 * requirements are all at most v. Round trips are not monotone and have no requirement.
 */
export function requirementOf(
  d: string,
  c: number,
  list: readonly AnyAssumption[] = ASSUMPTIONS,
): Requirement<World, Action> | undefined {
  const need = assumptionById(d, list)?.need;
  return need ? (w, a) => need(w, a, c) : undefined;
}
