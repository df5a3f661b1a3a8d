export { BOUND_HINT, type BoundName, type Bounds, DEFAULT_BOUNDS } from "./bounds.js";
export { ExplorationError } from "./exploration-error.js";
export { DepthBuckets, Frontier, KeyedFrontier, RecordQueue, RecordStack } from "./frontier.js";
export { type ElementArray, IntList } from "./int-list.js";
export { exploreMinimax, type MinimaxProperty, type MinimaxResult, type Requirement } from "./minimax.js";
export { minimize, showsAt } from "./minimize.js";
export type { Model, Property } from "./model.js";
export { enabled, initialCopy, namePath } from "./paths.js";
export { StateRangeError } from "./range-error.js";
export type { ExploreResult, PropertyResult, Storage } from "./result.js";
export {
  type ArrayField,
  array,
  bits,
  defineState,
  type FieldInfo,
  type FieldSpec,
  flag,
  forgettable,
  type GroupSpec,
  type IntField,
  int,
  type ListField,
  list,
  type Packing,
  StateLayout,
  type ViewOf,
} from "./schema.js";
export { type ExploreOptions, explore, type KeyedOrder, type Searched, type Strategy, search } from "./search.js";
export { collisionProbability, type StorageMode } from "./state-table.js";
export { BREADTH_FIRST } from "./strategies/bfs.js";
export { DEPTH_FIRST } from "./strategies/dfs.js";
export { type MinimaxStrategy, minimaxStrategy } from "./strategies/minimax.js";
export { mulberry32, randomWalks } from "./strategies/random.js";
export { Divergence, replayPath } from "./strategies/replay.js";
export { unfrozen } from "./typed-arrays.js";
