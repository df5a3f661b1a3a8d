import type { Model } from "@switchlab/explorer";
import {
  type Action,
  type Cell,
  cloneWorld,
  createWorld,
  WORLD_LAYOUT,
  type World,
  worldWords,
} from "@switchlab/model";

/** A cell as the explorer sees it: one initial world, the machine's actions applied in place, named choices. */
export function worldModel(cell: Cell): Model<World, Action> {
  const m = cell.machine;
  const init = [cloneWorld(cell.initial)];
  return {
    layout: WORLD_LAYOUT,
    create: createWorld,
    words: worldWords,
    init: () => init,
    actions: (s, out) => m.actionsInto(s, out),
    next: (s, a) => m.applyInPlace(s, a),
    name: (s, a) => m.actionName(s, a),
  };
}
