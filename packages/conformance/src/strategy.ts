/**
 * How a cell is explored: breadth-first (default, shortest counterexamples), depth-first, or
 * sampled. Breadth-first search compresses chains of states with one choice (the explorer's
 * `chains`: same verdicts and counterexample lengths from fewer stored states) unless `chains` is
 * false (`--no-chains`).
 */
export type Strategy =
  | { readonly kind: "bfs"; readonly chains?: false }
  | { readonly kind: "dfs" }
  | { readonly kind: "random"; readonly seed: number; readonly walks: number };

export const BFS: Strategy = { kind: "bfs" };
