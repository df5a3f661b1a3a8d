import "reflect-metadata";

export * from "./core.js";
export * from "./cpu-hw-events.js";
export * from "./env.js";
export * from "./intel/core.js";
export * from "./intel/ds.js";
export * from "./kernel/events/core.js";
export * from "./kernel/events/sched.js";
export * from "./kernel/events/tick.js";
export * from "./kernel-service.js";
export * from "./nmi.js";
export * from "./perf-event.js";
export * from "./services.js";
export * from "./tokens.js";
