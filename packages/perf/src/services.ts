import type { DependencyContainer } from "tsyringe";
import { X86Core } from "./core.js";
import { IntelCore } from "./intel/core.js";
import { IntelDs } from "./intel/ds.js";
import { EventsCore } from "./kernel/events/core.js";
import { kernelService, registerServices, resolveServices, type ServicesOf } from "./kernel-service.js";
import { NmiLayer } from "./nmi.js";
import { EVENTS_CORE, INTEL_CORE, INTEL_DS, NMI_LAYER, X86_CORE } from "./tokens.js";

/**
 * perf's kernel-function services, one row each: the key in the ops table (env.k), the DI token a
 * policy overrides, the upstream class and the kernel file it models. Registration, PerfKernel
 * and show-policy's list all come from this table.
 */
export const PERF_SERVICES = [
  kernelService("intel", INTEL_CORE, IntelCore, "arch/x86/events/intel/core.c"),
  kernelService("ds", INTEL_DS, IntelDs, "arch/x86/events/intel/ds.c"),
  kernelService("x86", X86_CORE, X86Core, "arch/x86/events/core.c"),
  kernelService("events", EVENTS_CORE, EventsCore, "kernel/events/core.c"),
  kernelService("nmi", NMI_LAYER, NmiLayer, "arch/x86/kernel/nmi.c"),
] as const;

/** The perf services as one ops table, like the kernel's x86_pmu and static calls. */
export type PerfKernel = ServicesOf<typeof PERF_SERVICES>;

/** Register upstream perf (the defaults a policy's registrations override). */
export function registerPerf(c: DependencyContainer): DependencyContainer {
  return registerServices(c, PERF_SERVICES);
}

/** Resolve the perf ops table from a (child) container. */
export function resolvePerfKernel(c: DependencyContainer): PerfKernel {
  return resolveServices(c, PERF_SERVICES);
}
