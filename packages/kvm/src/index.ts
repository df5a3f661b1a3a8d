import "reflect-metadata";

export * from "./env.js";
export * from "./insns.js";
export * from "./kvm-state.js";
export * from "./register.js";
export * from "./run-loop.js";
export * from "./steps.js";
export * from "./tokens.js";
export * from "./vmx/vmx.js";
