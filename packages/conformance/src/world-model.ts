import type { Model } from "@switchlab/explorer";
import { type Action, type Cell, fingerprintWorld, type World } from "@switchlab/model";

/** A cell as the explorer sees it: one initial world, the machine's actions, named choices. */
export function worldModel(cell: Cell): Model<World, Action> {
  const m = cell.machine;
  return {
    init: () => [cell.initial],
    actions: (s) => m.actions(s),
    next: (s, a) => m.apply(s, a),
    fingerprint: fingerprintWorld,
    name: (s, a) => m.actionName(s, a),
  };
}
