import { kernelService, registerServices, resolveServices, type ServicesOf } from "@switchlab/perf";
import type { DependencyContainer } from "tsyringe";
import { KvmPmu } from "./pmu.js";
import { INTEL_PMU, KVM_PMU, VMX } from "./tokens.js";
import { IntelPmu } from "./vmx/pmu-intel.js";
import { Vmx } from "./vmx/vmx.js";

/**
 * KVM's kernel-function services, one row each: the key in the ops table (env.kk), the DI token a
 * policy overrides, the upstream class and the kernel file it models. Registration, KvmKernel
 * and show-policy's list all come from this table.
 */
export const KVM_SERVICES = [
  kernelService("vmx", VMX, Vmx, "arch/x86/kvm/vmx/vmx.c"),
  // The mediated vPMU's common half.
  kernelService("pmu", KVM_PMU, KvmPmu, "arch/x86/kvm/pmu.c"),
  // The mediated vPMU's Intel half.
  kernelService("pmuIntel", INTEL_PMU, IntelPmu, "arch/x86/kvm/vmx/pmu_intel.c"),
] as const;

/** The KVM services as one ops table. */
export type KvmKernel = ServicesOf<typeof KVM_SERVICES>;

/** Register upstream KVM (the defaults a policy's registrations override). */
export function registerKvm(c: DependencyContainer): DependencyContainer {
  return registerServices(c, KVM_SERVICES);
}

/** Resolve the KVM ops table from a (child) container. */
export function resolveKvmKernel(c: DependencyContainer): KvmKernel {
  return resolveServices(c, KVM_SERVICES);
}
