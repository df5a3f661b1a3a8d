import type { InjectionToken } from "tsyringe";
import type { KvmPmu } from "./pmu.js";
import type { IntelPmu } from "./vmx/pmu-intel.js";
import type { Vmx } from "./vmx/vmx.js";

/** DI token of the VMX service; a policy overrides it by registering its subclass. */
export const VMX: InjectionToken<Vmx> = Symbol.for("switchlab.kvm.Vmx");
/** DI token of arch/x86/kvm/pmu.c. */
export const KVM_PMU: InjectionToken<KvmPmu> = Symbol.for("switchlab.kvm.KvmPmu");
/** DI token of arch/x86/kvm/vmx/pmu_intel.c. */
export const INTEL_PMU: InjectionToken<IntelPmu> = Symbol.for("switchlab.kvm.IntelPmu");
