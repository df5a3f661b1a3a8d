import type { InjectionToken } from "tsyringe";
import type { Vmx } from "./vmx/vmx.js";

/** DI token of the VMX service; a policy overrides it by registering its subclass. */
export const VMX: InjectionToken<Vmx> = Symbol.for("switchlab.kvm.Vmx");
