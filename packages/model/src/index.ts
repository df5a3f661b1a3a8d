import "reflect-metadata";

export * from "./assumptions.js";
export * from "./cell.js";
export * from "./describe.js";
export * from "./env.js";
export * from "./freeze.js";
export * from "./machine.js";
export * from "./probe.js";
export * from "./project.js";
export * from "./replay-file.js";
export * from "./scenario.js";
export * from "./symptoms.js";
export * from "./trace.js";
export * from "./world.js";
