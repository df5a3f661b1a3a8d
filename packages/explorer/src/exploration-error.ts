/**
 * Something the model threw while the explorer expanded a state (in a policy's code, usually):
 * the thrown value, and the named choices from an initial state to the state being expanded plus
 * the choice being taken when it threw (none when listing the enabled choices threw). Replaying
 * `path` without its last choice reaches the state; taking the last choice throws again.
 */
export class ExplorationError extends Error {
  constructor(
    readonly thrown: unknown,
    readonly path: readonly string[],
    /** Whether the last choice of `path` is the one that threw (else the listing of choices did). */
    readonly inChoice: boolean,
  ) {
    super(thrown instanceof Error ? thrown.message : String(thrown));
  }
}
