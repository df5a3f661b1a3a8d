export * from "./c-source.js";
export * from "./classify.js";
export * from "./oracle.js";
export * from "./requirements.js";
