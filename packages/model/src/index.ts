import "reflect-metadata";

export { DEFAULT_GUEST_WRITES, GUEST_WRITES, guestWritesNeed } from "./assumptions/guest-writes.js";
export {
  ASSUMPTIONS,
  type AssumptionId,
  type AssumptionOverrides,
  type Assumptions,
  type AssumptionValue,
  assumptionById,
  assumptionsJsonSchema,
  assumptionsOf,
  assumptionsZod,
  assumptionValues,
  type BuiltinAssumption,
  withAssumptions,
} from "./assumptions/index.js";
export { DEFAULT_MASKED_PMI, MASKED_PMI, type MaskedPmi } from "./assumptions/masked-pmi.js";
export { NMIS, nmisNeed } from "./assumptions/nmis.js";
export { defaultOtherNmis, OTHER_NMIS, otherNmisNeed } from "./assumptions/other-nmis.js";
export { OVERFLOWS, overflowsNeed } from "./assumptions/overflows.js";
export { OVERFLOWS_PER_EVENT, overflowsPerEventNeed } from "./assumptions/overflows-per-event.js";
export { DEFAULT_PEBS_QUIESCENT, PEBS_QUIESCENT, pebsQuiescentNeed } from "./assumptions/pebs-quiescent.js";
export { DEFAULT_PMI_LATENCY, PMI_LATENCY, pmiLatencyNeed } from "./assumptions/pmi-latency.js";
export { ROUND_TRIPS } from "./assumptions/round-trips.js";
export {
  type AnyAssumption,
  AssumptionError,
  type AssumptionSpec,
  allows,
  argOf,
  type FrontierSpec,
  jsonSchemaOf,
  type Need,
  parseRaw,
  problemOf,
  type ValueShape,
  zodOf,
} from "./assumptions/spec.js";
export { TICKS, ticksNeed } from "./assumptions/ticks.js";
export * from "./cell.js";
export * from "./describe.js";
export * from "./env.js";
export * from "./freeze.js";
export { hostCountingWrong } from "./host-counting.js";
export * from "./machine.js";
export * from "./policy-changes.js";
export * from "./probe.js";
export * from "./project.js";
export * from "./reach.js";
export * from "./replay-file.js";
export * from "./scenario.js";
export * from "./symptoms.js";
export * from "./trace.js";
export * from "./world.js";
