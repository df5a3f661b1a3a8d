import type { Requirement } from "@switchlab/explorer";
import { canDeliverPmi } from "@switchlab/hardware";
import type { Action, Assumptions, World } from "@switchlab/model";
import type { DimensionId } from "./dimensions.js";

/**
 * What each transition asks of one monotone assumption, in a model built at the dimension's
 * ceiling `c` (explorer/src/minimax.ts): the smallest value under which the model at that value
 * offers the transition. Each mirrors the rule in model/src/machine.ts that the assumption feeds:
 * - PMI latency L: while a PMI is deliverable and NMIs are not blocked, anything but the NMI needs
 *   its age below L (machine.due);
 * - PEBS quiescent period Q: a latent assist of counter k needs its age below Q;
 * - budgets B (overflows, NMIs, ticks): the k-th use needs B >= k, and k = c - what is left + 1;
 * - the per-event cap: an overflow of an event needs the cap above its overflows so far.
 * Nothing else in the states depends on these values (the ages and budgets only gate these
 * transitions), so the model at a value v has exactly the paths of the ceiling model whose
 * requirements are all at most v. Round trips are not monotone and have no requirement.
 */
export function requirementOf(d: DimensionId, c: number): Requirement<World, Action> | undefined {
  switch (d) {
    case "pmiLatency":
      return (w, a) => (a.kind !== "nmi" && canDeliverPmi(w.hw) && w.hw.nmiBlocked === 0 ? w.hw.pmiAge + 1 : 0);
    case "pebsQuiescent":
      return (w, a) => (a.kind === "latent" ? (w.hw.pebsLatentAge[a.arg] as number) + 1 : 0);
    case "overflows":
      return (w, a) => (a.kind === "overflow" || a.kind === "latent" ? c - w.budget.overflows + 1 : 0);
    case "overflowsPerEvent":
      return (w, a) => {
        if (a.kind !== "overflow" && a.kind !== "latent") return 0;
        const ev = (w.perf.events[a.arg] ?? 0) - 1;
        return ev < 0 ? 0 : (w.budget.evOverflows[ev] ?? 0) + 1;
      };
    case "nmis":
      return (w, a) => (a.kind === "nmi" ? c - w.budget.nmis + 1 : 0);
    case "ticks":
      return (w, a) => (a.kind === "tick" ? c - w.budget.ticks + 1 : 0);
    case "roundTrips":
      return undefined;
  }
}

/** Whether the dimension can be searched from these assumptions (a numeric value to start from). */
export function searchable(a: Assumptions, d: DimensionId): boolean {
  return typeof a[d] === "number";
}
