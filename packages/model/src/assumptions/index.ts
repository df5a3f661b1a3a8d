import type { KernelVersion } from "@switchlab/perf";
import { z } from "zod";
import { deepFreeze } from "../freeze.js";
import type { Scenario } from "../scenario.js";
import { GUEST_WRITES } from "./guest-writes.js";
import { MASKED_PMI } from "./masked-pmi.js";
import { NMIS } from "./nmis.js";
import { OTHER_NMIS } from "./other-nmis.js";
import { OVERFLOWS } from "./overflows.js";
import { OVERFLOWS_PER_EVENT } from "./overflows-per-event.js";
import { PEBS_QUIESCENT } from "./pebs-quiescent.js";
import { PMI_LATENCY } from "./pmi-latency.js";
import { ROUND_TRIPS } from "./round-trips.js";
import { type AnyAssumption, AssumptionError, type AssumptionSpec, jsonSchemaOf, problemOf, zodOf } from "./spec.js";
import { TICKS } from "./ticks.js";

/**
 * Every assumption a verdict rests on besides the model itself, in report order (the order of
 * the matrix JSON's `assumptions` keys, of the CLI's options, of the frontier's dimensions and of
 * report lines). Adding one is adding its record (spec.ts) here; the rest is derived. Frozen:
 * code that wants another list (a test's toy assumption) passes its own to the functions below.
 */
export const ASSUMPTIONS = deepFreeze([
  PMI_LATENCY,
  PEBS_QUIESCENT,
  MASKED_PMI,
  OVERFLOWS,
  OVERFLOWS_PER_EVENT,
  NMIS,
  OTHER_NMIS,
  ROUND_TRIPS,
  TICKS,
  GUEST_WRITES,
] as const);

/** A built-in assumption. */
export type BuiltinAssumption = (typeof ASSUMPTIONS)[number];

/** The id of a built-in assumption (`pmiLatency`, ...). */
export type AssumptionId = BuiltinAssumption["id"];

/** The values an assumption takes. */
export type AssumptionValue<A> = A extends AssumptionSpec<string, infer V> ? V : never;

/** Everything a verdict rests on besides the model itself: the kernel version and each assumption's value. */
export type Assumptions = { readonly kernel: KernelVersion } & {
  readonly [A in BuiltinAssumption as A["id"]]: AssumptionValue<A>;
};

/** The assumptions a user may change (the kernel version is the scenario's). */
export type AssumptionOverrides = Partial<Omit<Assumptions, "kernel">>;

/** The assumption with this id in a list, if any. */
export function assumptionById(id: string, list: readonly AnyAssumption[] = ASSUMPTIONS): AnyAssumption | undefined {
  return list.find((a) => a.id === id);
}

/** A scenario's value of every assumption in a list, keyed by id in list order, after its kernel. */
export function assumptionValues(
  sc: Scenario,
  list: readonly AnyAssumption[],
): { readonly kernel: KernelVersion } & Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = { kernel: sc.kernel };
  for (const a of list) out[a.id] = a.read(sc);
  return out as { readonly kernel: KernelVersion };
}

/** The assumptions a scenario runs under. */
export function assumptionsOf(sc: Scenario): Assumptions {
  return assumptionValues(sc, ASSUMPTIONS) as Assumptions;
}

/**
 * The scenario with some assumptions replaced; a value an assumption cannot take (its shape's
 * range, read from the state field that holds it) is an AssumptionError naming the assumption.
 */
export function withAssumptions(
  sc: Scenario,
  o: AssumptionOverrides | Readonly<Record<string, unknown>>,
  list: readonly AnyAssumption[] = ASSUMPTIONS,
): Scenario {
  let out = sc;
  for (const a of list) {
    const v = (o as Readonly<Record<string, unknown>>)[a.id];
    if (v === undefined) continue;
    const problem = problemOf(a, v);
    if (problem !== undefined) throw new AssumptionError(a, problem);
    out = a.write(out, v);
  }
  return out;
}

/** The zod schema of a replay file's `assumptions` (every one optional, and the kernel). */
export function assumptionsZod(list: readonly AnyAssumption[] = ASSUMPTIONS) {
  return z
    .object({
      kernel: z.string().optional(),
      ...Object.fromEntries(list.map((a) => [a.id, zodOf(a).optional()])),
    })
    .strict() as unknown as z.ZodType<AssumptionOverrides & { readonly kernel?: string }>;
}

/** The JSON Schema of a matrix cell's `assumptions` (conformance/schema/matrix.schema.json's $defs.assumptions). */
export function assumptionsJsonSchema(list: readonly AnyAssumption[] = ASSUMPTIONS): Record<string, unknown> {
  return {
    type: "object",
    required: ["kernel", ...list.map((a) => a.id)],
    additionalProperties: false,
    properties: {
      kernel: { $ref: "#/$defs/kernel" },
      ...Object.fromEntries(list.map((a) => [a.id, jsonSchemaOf(a)])),
    },
  };
}
