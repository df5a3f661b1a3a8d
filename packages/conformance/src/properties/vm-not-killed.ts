import { LIST_FULL_KILLS_VM_FROM } from "@switchlab/kvm";
import { kernelAtLeast } from "@switchlab/perf";
import { always, type ConformanceProperty } from "../property.js";

export const vmNotKilled: ConformanceProperty = {
  id: "vm-not-killed",
  title: "KVM never kills the VM over an MSR perf asks it to switch (v7.3: a full list is KVM_BUG_ON)",
  short: "vm-dead",
  symptom: "WARNING ... vmx_add_auto_msr (KVM_BUG_ON): the VM is dead, KVM_RUN returns -EIO",
  worldSymptom: "vm-killed",
  applies: (cell) => kernelAtLeast(cell.scenario.kernel, LIST_FULL_KILLS_VM_FROM),
  appliesTo: "v7.3 (before: switch-lists-fit)",
  consequence:
    "vmx_add_auto_msr (arch/x86/kvm/vmx/vmx.c) hits KVM_BUG_ON on a full autoload list and marks the VM bugged, so the next KVM_RUN returns -EIO: host perf usage alone kills a running guest",
  toExplorer: () => always("vm-not-killed", (w) => w.kvm.vmDead === 0),
};
