import type { InjectionToken } from "tsyringe";
import type { X86Core } from "./core.js";
import type { IntelCore } from "./intel/core.js";
import type { IntelDs } from "./intel/ds.js";
import type { EventsCore } from "./kernel/events/core.js";
import type { NmiLayer } from "./nmi.js";

/** DI tokens of the perf services; a policy overrides one by registering its subclass. */
export const INTEL_CORE: InjectionToken<IntelCore> = Symbol.for("switchlab.perf.IntelCore");
export const INTEL_DS: InjectionToken<IntelDs> = Symbol.for("switchlab.perf.IntelDs");
export const X86_CORE: InjectionToken<X86Core> = Symbol.for("switchlab.perf.X86Core");
export const EVENTS_CORE: InjectionToken<EventsCore> = Symbol.for("switchlab.perf.EventsCore");
export const NMI_LAYER: InjectionToken<NmiLayer> = Symbol.for("switchlab.perf.NmiLayer");
