/**
 * How a cell is explored: breadth-first (default, shortest counterexamples), depth-first, or
 * sampled. With `chains` (`--chains`) breadth-first search compresses chains of states with one
 * choice (the explorer's `chains`: the same verdicts and counterexample lengths from fewer stored
 * states, but more time: measured 1.4x in one process and 2.2x through the CLI on the default
 * matrix, docs/scaling.md), so it is off by default.
 */
export type Strategy = (
  | { readonly kind: "bfs"; readonly chains?: true }
  | { readonly kind: "dfs" }
  | { readonly kind: "random"; readonly seed: number; readonly walks: number }
) & {
  /**
   * `--keep-dead-values`: store last_nmi_rip and KVM's exit reason in every state, also where
   * nothing reads them before they are next written (the dead-value reduction off: more states,
   * the same answers; the explorer's README, "Dead values"). By default the explorer forgets them there.
   */
  readonly keepDeadValues?: true;
};

export const BFS: Strategy = { kind: "bfs" };
