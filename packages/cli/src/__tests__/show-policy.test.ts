import "reflect-metadata";
import * as kvm from "@switchlab/kvm";
import { createRootContainer } from "@switchlab/model";
import * as perf from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { describe, expect, it } from "vitest";
import { KERNEL_SERVICES, overriddenServices } from "../commands/show-policy.js";

/** A subclass of a service's class, named after it, that defines one method of its own. */
function overrideOf(s: perf.KernelService): new () => object {
  const Base = s.cls;
  const name = `${Base.name}Override`;
  const Sub = {
    [name]: class extends Base {
      probe(): number {
        return 1;
      }
    },
  }[name] as new () => object;
  return Sub;
}

describe("kernel services", () => {
  it("show-policy lists every service of perf's and KVM's tables", () => {
    expect(KERNEL_SERVICES).toEqual([...perf.PERF_SERVICES, ...kvm.KVM_SERVICES]);
    const everything = definePolicy({
      id: "overrides-everything",
      title: "t",
      summary: "s",
      upstream: { cite: "test", url: "https://kernel.org" },
      touches: [],
      register: (c) => {
        for (const s of KERNEL_SERVICES) c.register(s.token, { useClass: overrideOf(s) });
      },
    });
    expect(overriddenServices(createRootContainer(), everything)).toEqual(
      KERNEL_SERVICES.map((s) => `${s.cls.name} (${s.file}) -> ${s.cls.name}Override: probe`),
    );
  });

  it("a policy that overrides nothing lists nothing", () => {
    const none = definePolicy({
      id: "overrides-nothing",
      title: "t",
      summary: "s",
      upstream: { cite: "test", url: "https://kernel.org" },
      touches: [],
    });
    expect(overriddenServices(createRootContainer(), none)).toEqual([]);
  });

  it("every service's class and token are exported by name from its package, for a policy to subclass", () => {
    const exported = (pkg: Record<string, unknown>, s: perf.KernelService) =>
      pkg[s.cls.name] === s.cls && Object.values(pkg).includes(s.token);
    for (const s of perf.PERF_SERVICES) expect(exported(perf, s), s.cls.name).toBe(true);
    for (const s of kvm.KVM_SERVICES) expect(exported(kvm, s), s.cls.name).toBe(true);
    expect(kvm.KvmPmu).toBeDefined();
    expect(kvm.IntelPmu).toBeDefined();
  });

  it("the root container registers every table's upstream class", () => {
    const root = createRootContainer();
    for (const s of KERNEL_SERVICES) expect(root.resolve(s.token)).toBeInstanceOf(s.cls);
  });
});
