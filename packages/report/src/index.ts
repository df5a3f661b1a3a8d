export * from "./json.js";
export * from "./short-names.js";
export * from "./text.js";
