import type { Model } from "@switchlab/explorer";
import { exitReasonLive, forgetDeadExitReason } from "@switchlab/kvm";
import {
  type Action,
  type Cell,
  cloneWorld,
  createWorld,
  storedExitReason,
  storedLastNmiRip,
  WORLD_LAYOUT,
  type World,
  worldWords,
} from "@switchlab/model";
import { forgetDeadRip } from "@switchlab/perf";
import { nmiRipWindow } from "./guards.js";

/**
 * A cell as the explorer sees it: one initial world, the machine's actions applied in place, named
 * choices. Unless `keepDeadValues`, each world is stored with last_nmi_rip and KVM's exit reason
 * forgotten where nothing reads them (perf nmi.ts forgetDeadRip, kvm run-loop.ts
 * forgetDeadExitReason; the explorer's README, "Dead values"): the same answers
 * from fewer states. Traces replay the choices on the machine itself, so they show every value.
 */
export function worldModel(cell: Cell, keepDeadValues = false): Model<World, Action> {
  const m = cell.machine;
  const first = cloneWorld(cell.initial);
  const inWindow = nmiRipWindow(cell);
  const live = exitReasonLive(cell.env.seq.runLoop);
  const forget = (s: World) => {
    forgetDeadRip(s, storedLastNmiRip, inWindow);
    forgetDeadExitReason(s, storedExitReason, live);
  };
  if (!keepDeadValues) forget(first);
  const init = [first];
  return {
    layout: WORLD_LAYOUT,
    create: createWorld,
    words: worldWords,
    init: () => init,
    actions: (s, out) => m.actionsInto(s, out),
    next: keepDeadValues
      ? (s, a) => m.applyInPlace(s, a)
      : (s, a) => {
          m.applyInPlace(s, a);
          forget(s);
        },
    name: (s, a) => m.actionName(s, a),
  };
}

/**
 * Run an exploration with dead values forgotten (unless `keepDeadValues`), and again with every
 * value kept if any code read a forgotten one (StateLayout.forgottenReads: a policy or a check
 * that reads last_nmi_rip where the model does not). What the first run threw counts only if
 * nothing read a forgotten value.
 */
export function withDeadValues<T>(keepDeadValues: boolean, run: (keepDeadValues: boolean) => T): T {
  if (keepDeadValues) return run(true);
  const before = WORLD_LAYOUT.forgottenReads();
  try {
    const r = run(false);
    if (WORLD_LAYOUT.forgottenReads() === before) return r;
  } catch (e) {
    if (WORLD_LAYOUT.forgottenReads() === before) throw e;
  }
  return run(true);
}
