import { RecordQueue } from "../frontier.js";
import type { Strategy } from "../search.js";

/**
 * Breadth-first search: a queue, each state explored once. Properties are checked on discovery,
 * so each first violation is at the smallest depth: counterexamples are shortest by
 * construction, and every property gets its verdict from one run.
 */
export const BREADTH_FIRST: Strategy = {
  name: "bfs",
  exhaustive: true,
  shortest: true,
  frontier: (stride) => new RecordQueue(stride),
  revisit: () => false,
  select: () => -1,
  roots: (n) => Array.from({ length: n }, (_, i) => i),
  restart: () => -1,
};
