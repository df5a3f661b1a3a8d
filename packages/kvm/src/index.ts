import "reflect-metadata";

export * from "./env.js";
export * from "./insns.js";
export * from "./kvm-state.js";
export * from "./pmu.js";
export * from "./run-loop.js";
export * from "./services.js";
export * from "./steps.js";
export * from "./tokens.js";
export * from "./vmx/pmu-intel.js";
export * from "./vmx/vmx.js";
