import "reflect-metadata";

export * from "./check-policy.js";
export * from "./costs/cost-table.js";
export * from "./costs/measure.js";
export * from "./diff/diff-policies.js";
export * from "./expected.js";
export * from "./guards.js";
export * from "./matrix/contract.js";
export * from "./matrix/run-cell.js";
export * from "./matrix/run-matrix.js";
export * from "./matrix/shard.js";
export * from "./properties/index.js";
export * from "./scenarios/index.js";
export * from "./world-model.js";
export * from "./frontier/contract.js";
export * from "./frontier/dimensions.js";
export * from "./frontier/run-frontier.js";
export * from "./frontier/search.js";
