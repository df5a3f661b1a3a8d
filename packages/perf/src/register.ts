import type { DependencyContainer } from "tsyringe";
import { X86Core } from "./core.js";
import type { PerfKernel } from "./env.js";
import { IntelCore } from "./intel/core.js";
import { IntelDs } from "./intel/ds.js";
import { EventsCore } from "./kernel/events/core.js";
import { NmiLayer } from "./nmi.js";
import { EVENTS_CORE, INTEL_CORE, INTEL_DS, NMI_LAYER, X86_CORE } from "./tokens.js";

/** Register upstream perf (the defaults a policy's registrations override). */
export function registerPerf(c: DependencyContainer): DependencyContainer {
  c.register(INTEL_CORE, { useClass: IntelCore });
  c.register(INTEL_DS, { useClass: IntelDs });
  c.register(X86_CORE, { useClass: X86Core });
  c.register(EVENTS_CORE, { useClass: EventsCore });
  c.register(NMI_LAYER, { useClass: NmiLayer });
  return c;
}

/** Resolve the perf ops table from a (child) container. */
export function resolvePerfKernel(c: DependencyContainer): PerfKernel {
  return {
    intel: c.resolve(INTEL_CORE),
    ds: c.resolve(INTEL_DS),
    x86: c.resolve(X86_CORE),
    events: c.resolve(EVENTS_CORE),
    nmi: c.resolve(NMI_LAYER),
  };
}
