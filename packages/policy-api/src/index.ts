import "reflect-metadata";

export * from "./discover.js";
export * from "./policy.js";
export * from "./sequence-editor.js";
export * from "./step.js";
