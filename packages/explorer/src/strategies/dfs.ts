import { RecordStack } from "../frontier.js";
import type { Strategy } from "../search.js";

/**
 * Depth-first search within the depth bound: a stack, and a state met again at a smaller depth
 * is explored again, so the search stays complete within the bound. Memory is the depth of the
 * stack rather than the width of a level; counterexamples are minimised.
 */
export const DEPTH_FIRST: Strategy = {
  name: "dfs",
  exhaustive: true,
  shortest: false,
  frontier: (stride) => new RecordStack(stride),
  revisit: (seenDepth, depth) => depth < seenDepth,
  select: () => -1,
  roots: (n) => Array.from({ length: n }, (_, i) => n - 1 - i),
  restart: () => -1,
};
