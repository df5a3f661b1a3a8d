export * from "./json.js";
export * from "./policy-summary.js";
export * from "./short-names.js";
export * from "./text.js";
