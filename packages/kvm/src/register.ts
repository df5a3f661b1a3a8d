import type { DependencyContainer } from "tsyringe";
import type { KvmKernel } from "./env.js";
import { KvmPmu } from "./pmu.js";
import { INTEL_PMU, KVM_PMU, VMX } from "./tokens.js";
import { IntelPmu } from "./vmx/pmu-intel.js";
import { Vmx } from "./vmx/vmx.js";

/** Register upstream KVM (the defaults a policy's registrations override). */
export function registerKvm(c: DependencyContainer): DependencyContainer {
  c.register(VMX, { useClass: Vmx });
  c.register(KVM_PMU, { useClass: KvmPmu });
  c.register(INTEL_PMU, { useClass: IntelPmu });
  return c;
}

export function resolveKvmKernel(c: DependencyContainer): KvmKernel {
  return { vmx: c.resolve(VMX), pmu: c.resolve(KVM_PMU), pmuIntel: c.resolve(INTEL_PMU) };
}
