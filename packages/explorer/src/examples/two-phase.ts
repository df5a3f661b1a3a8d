import type { Model, Property } from "../model.js";
import { array, bits, defineState, int, type ViewOf } from "../schema.js";

/**
 * TwoPhase commit as TLA+'s Examples write it (specifications/transaction_commit/TwoPhase.tla,
 * the model TLC and Stateright benchmark on), written against the explorer's schema: a
 * transaction manager and `n` resource managers exchange Prepared, Commit and Abort messages.
 * Distinct states: 288, 8,832, 296,448 and 1,745,408 for 3, 5, 7 and 8 resource managers.
 */
export const RM_WORKING = 0;
export const RM_PREPARED = 1;
export const RM_COMMITTED = 2;
export const RM_ABORTED = 3;
const TM_INIT = 0;
const TM_DONE = 1;

export function twoPhaseSpec(n: number) {
  return {
    /** rmState[rm]: working, prepared, committed, aborted. */
    rmState: array(n, 0, 3),
    /** tmState: init, done. */
    tmState: int(0, 1),
    /** tmPrepared: the set of resource managers the TM has heard Prepared from (a bit each). */
    tmPrepared: bits(n),
    /** msgs: the set of rms that sent Prepared (a bit each), Commit, Abort. */
    msgPrepared: bits(n),
    msgCommit: int(0, 1),
    msgAbort: int(0, 1),
  };
}

export type TwoPhaseState = ViewOf<ReturnType<typeof twoPhaseSpec>>;

/** An action: its kind and the resource manager it names (unused for the TM's commit and abort). */
export enum TwoPhaseAct {
  TMRcvPrepared,
  TMCommit,
  TMAbort,
  RMPrepare,
  RMChooseToAbort,
  RMRcvCommitMsg,
  RMRcvAbortMsg,
}

const NAMES = [
  "TMRcvPrepared",
  "TMCommit",
  "TMAbort",
  "RMPrepare",
  "RMChooseToAbort",
  "RMRcvCommitMsg",
  "RMRcvAbortMsg",
];

/** Actions are numbers: kind * 256 + rm, so enumerating them allocates nothing. */
export function twoPhase(n: number): Model<TwoPhaseState, number> {
  const layout = defineState(twoPhaseSpec(n));
  const all = (1 << n) - 1;
  const init = layout.create();
  return {
    layout,
    create: (w) => (w ? layout.view(w) : layout.create()),
    words: (s) => layout.words(s),
    init: () => [init],
    actions(s, out) {
      let k = 0;
      if (s.tmState === TM_INIT) {
        const sent = s.msgPrepared;
        for (let rm = 0; rm < n; rm++) if (sent & (1 << rm)) out[k++] = TwoPhaseAct.TMRcvPrepared * 256 + rm;
        if (s.tmPrepared === all) out[k++] = TwoPhaseAct.TMCommit * 256;
        out[k++] = TwoPhaseAct.TMAbort * 256;
      }
      for (let rm = 0; rm < n; rm++) {
        if (s.rmState[rm] === RM_WORKING) {
          out[k++] = TwoPhaseAct.RMPrepare * 256 + rm;
          out[k++] = TwoPhaseAct.RMChooseToAbort * 256 + rm;
        }
        if (s.msgCommit) out[k++] = TwoPhaseAct.RMRcvCommitMsg * 256 + rm;
        if (s.msgAbort) out[k++] = TwoPhaseAct.RMRcvAbortMsg * 256 + rm;
      }
      return k;
    },
    next(s, a) {
      const rm = a & 0xff;
      switch (a >> 8) {
        case TwoPhaseAct.TMRcvPrepared:
          s.tmPrepared |= 1 << rm;
          break;
        case TwoPhaseAct.TMCommit:
          s.tmState = TM_DONE;
          s.msgCommit = 1;
          break;
        case TwoPhaseAct.TMAbort:
          s.tmState = TM_DONE;
          s.msgAbort = 1;
          break;
        case TwoPhaseAct.RMPrepare:
          s.rmState[rm] = RM_PREPARED;
          s.msgPrepared |= 1 << rm;
          break;
        case TwoPhaseAct.RMChooseToAbort:
          s.rmState[rm] = RM_ABORTED;
          break;
        case TwoPhaseAct.RMRcvCommitMsg:
          s.rmState[rm] = RM_COMMITTED;
          break;
        case TwoPhaseAct.RMRcvAbortMsg:
          s.rmState[rm] = RM_ABORTED;
          break;
      }
    },
    name: (_s, a) => `${NAMES[a >> 8]}(${a & 0xff})`,
  };
}

/** TCConsistent: no resource manager has committed while another aborted. */
export const consistent: Property<TwoPhaseState> = {
  id: "TCConsistent",
  kind: "always",
  holds: (s) => !(s.rmState.includes(RM_COMMITTED) && s.rmState.includes(RM_ABORTED)),
};

/** A transaction commits somewhere (a `sometimes` guard). */
export const someCommit: Property<TwoPhaseState> = {
  id: "some-commit",
  kind: "sometimes",
  holds: (s) => s.rmState.includes(RM_COMMITTED),
};
