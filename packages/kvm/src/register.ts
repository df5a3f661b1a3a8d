import type { DependencyContainer } from "tsyringe";
import type { KvmKernel } from "./env.js";
import { VMX } from "./tokens.js";
import { Vmx } from "./vmx/vmx.js";

/** Register upstream KVM (the defaults a policy's registrations override). */
export function registerKvm(c: DependencyContainer): DependencyContainer {
  c.register(VMX, { useClass: Vmx });
  return c;
}

export function resolveKvmKernel(c: DependencyContainer): KvmKernel {
  return { vmx: c.resolve(VMX) };
}
