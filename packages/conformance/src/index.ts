import "reflect-metadata";

export * from "./scenarios/index.js";
