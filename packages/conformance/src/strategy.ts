/** How a cell is explored: breadth-first (default, shortest counterexamples), depth-first, or sampled. */
export type Strategy =
  | { readonly kind: "bfs" }
  | { readonly kind: "dfs" }
  | { readonly kind: "random"; readonly seed: number; readonly walks: number };

export const BFS: Strategy = { kind: "bfs" };
