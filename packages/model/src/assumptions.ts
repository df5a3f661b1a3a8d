import { MAX_QUIESCENT, MAX_WINDOW } from "@switchlab/hardware";
import { MAX_ROUND_TRIPS } from "@switchlab/kvm";
import type { KernelVersion } from "@switchlab/perf";
import type { Scenario } from "./scenario.js";

/**
 * PMI delivery latency bound, in instructions. No architectural bound is published: Intel
 * documents skid of "several dozen instructions or more", and delivery through the local APIC
 * adds more. The bound must at least cover the windows a candidate's correctness rests on: from
 * perf_guest_get_msrs' snapshot to VMRESUME the run loop's steps add up to 311 instructions (v5.11,
 * no isolation), 325 (v6.16) and 455 (v6.16 with guest-PEBS entries), from the counts in
 * kvm/src/insns.ts. 512 is the first power of two above that; `--pmi-latency` varies it,
 * `--pmi-latency unbounded` removes it, and `switchlab frontier` reports where each pass breaks.
 */
export const DEFAULT_PMI_LATENCY = 512;

/**
 * The PEBS quiescent period, in instructions: how long after a counter's PEBS_ENABLE bit is
 * cleared a latent PEBS assist of that counter may still complete. The SDM asks for "a quiescent
 * period" and gives no length. The default takes KVM's own stated assumption (add_atomic_switch_msr
 * zeroes PEBS_ENABLE by WRMSR "because PEBS needs a quiescent period after being disabled", 209
 * (v5.11) to 244 (v6.16) instructions before VMRESUME: KVM assumes the period fits that window,
 * and 64 is well inside it. `--pebs-quiescent` varies it, 0 turns latent assists off, and the
 * frontier reports where each pass breaks.
 */
export const DEFAULT_PEBS_QUIESCENT = 64;

/**
 * What a PMI the PMU raises while LVTPC is masked does. The SDM (Vol. 3A 11.5.1) says the mask
 * "inhibits reception"; whether the APIC then drops the interrupt or delivers it once unmasked is
 * not stated for the performance-counter LVT. "hold" (the default, the model's rule since the
 * 2021 scenarios: it lets both PMIs of a PEBS+INT overflow arrive) delivers it after the unmask;
 * "drop" loses it. `--masked-pmi` picks one.
 */
export type MaskedPmi = "hold" | "drop";
export const DEFAULT_MASKED_PMI: MaskedPmi = "hold";

/** Everything a verdict rests on besides the model itself: the assumptions of one exploration. */
export interface Assumptions {
  /** The kernel version the run loop and perf follow. */
  readonly kernel: KernelVersion;
  /** PMI delivery latency bound, in instructions, or "unbounded". */
  readonly pmiLatency: number | "unbounded";
  /** PEBS quiescent period, in instructions (0: no latent assists). */
  readonly pebsQuiescent: number;
  /** A PMI raised while LVTPC is masked: held until the unmask, or dropped. */
  readonly maskedPmi: MaskedPmi;
  /** Counter overflows in all. */
  readonly overflows: number;
  /** At most this many overflows per event, or "none" (no cap). */
  readonly overflowsPerEvent: number | "none";
  /** PMIs delivered as NMIs in all. */
  readonly nmis: number;
  /** VM round trips before the vCPU stops. */
  readonly roundTrips: number;
  /** perf ticks (IRQs on) in all. */
  readonly ticks: number;
}

/** The assumptions a user may change (the kernel version is the scenario's). */
export type AssumptionOverrides = Partial<Omit<Assumptions, "kernel">>;

/** The assumptions a scenario runs under. */
export function assumptionsOf(sc: Scenario): Assumptions {
  return {
    kernel: sc.kernel,
    pmiLatency: sc.pmiLatency ?? DEFAULT_PMI_LATENCY,
    pebsQuiescent: sc.pebsQuiescent ?? DEFAULT_PEBS_QUIESCENT,
    maskedPmi: sc.maskedPmi ?? DEFAULT_MASKED_PMI,
    overflows: sc.overflows.budget,
    overflowsPerEvent: sc.overflows.perEvent ?? "none",
    nmis: sc.nmiBudget,
    roundTrips: sc.maxRoundTrips,
    ticks: sc.tickBudget,
  };
}

/** Largest values the world's budget fields hold (world.ts BUDGET_SPEC, kvm-state.ts). */
export const ASSUMPTION_MAX: Readonly<Partial<Record<keyof AssumptionOverrides, number>>> = {
  overflows: 31,
  overflowsPerEvent: 31,
  nmis: 31,
  roundTrips: MAX_ROUND_TRIPS,
  ticks: 15,
};

/** A value an assumption cannot take; the message names it and what it allows. */
export class AssumptionError extends Error {}

/** The scenario with some assumptions replaced. */
export function withAssumptions(sc: Scenario, o: AssumptionOverrides): Scenario {
  if (o.maskedPmi !== undefined && o.maskedPmi !== "hold" && o.maskedPmi !== "drop")
    throw new AssumptionError(`maskedPmi must be hold or drop, got ${o.maskedPmi}`);
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === "unbounded" || v === "none" || k === "maskedPmi") continue;
    if (!Number.isInteger(v) || (v as number) < 0)
      throw new AssumptionError(`${k} must be a non-negative integer, got ${v}`);
    if (k === "pmiLatency" && (v as number) >= MAX_WINDOW)
      throw new AssumptionError(`${k} must be below ${MAX_WINDOW} instructions (or unbounded), got ${v}`);
    if (k === "pebsQuiescent" && (v as number) > MAX_QUIESCENT)
      throw new AssumptionError(`${k} must be at most ${MAX_QUIESCENT} instructions, got ${v}`);
  }
  if (o.roundTrips !== undefined && o.roundTrips < 1) throw new AssumptionError("roundTrips must be at least 1");
  for (const [k, max] of Object.entries(ASSUMPTION_MAX)) {
    const v = o[k as keyof AssumptionOverrides];
    if (typeof v === "number" && v > max)
      throw new AssumptionError(`${k} must be at most ${max} (the state's field for it), got ${v}`);
  }
  return {
    ...sc,
    ...(o.pmiLatency !== undefined ? { pmiLatency: o.pmiLatency } : {}),
    ...(o.pebsQuiescent !== undefined ? { pebsQuiescent: o.pebsQuiescent } : {}),
    ...(o.maskedPmi !== undefined ? { maskedPmi: o.maskedPmi } : {}),
    ...(o.overflows !== undefined || o.overflowsPerEvent !== undefined
      ? {
          overflows: {
            counters: sc.overflows.counters,
            budget: o.overflows ?? sc.overflows.budget,
            ...((o.overflowsPerEvent ?? sc.overflows.perEvent) === "none" ||
            (o.overflowsPerEvent ?? sc.overflows.perEvent) === undefined
              ? {}
              : { perEvent: (o.overflowsPerEvent ?? sc.overflows.perEvent) as number }),
          },
        }
      : {}),
    ...(o.nmis !== undefined ? { nmiBudget: o.nmis } : {}),
    ...(o.roundTrips !== undefined ? { maxRoundTrips: o.roundTrips } : {}),
    ...(o.ticks !== undefined ? { tickBudget: o.ticks } : {}),
  };
}
