import { LIST_FULL_KILLS_VM_FROM } from "@switchlab/kvm";
import { kernelAtLeast } from "@switchlab/perf";
import { always, type ConformanceProperty } from "../property.js";

export const switchListsFit: ConformanceProperty = {
  id: "switch-lists-fit",
  title: "every MSR perf asks KVM to switch is switched (v5.11, v6.16: a full list is a warning)",
  short: "lists",
  symptom: "Not enough msr switch entries. Can't add msr XXX (and the MSR is silently not switched)",
  worldSymptom: "msr-unswitched",
  applies: (cell) => !kernelAtLeast(cell.scenario.kernel, LIST_FULL_KILLS_VM_FROM),
  appliesTo: "v5.11 and v6.16 (v7.3: vm-not-killed)",
  consequence:
    "add_atomic_switch_msr (arch/x86/kvm/vmx/vmx.c) prints the warning once and returns without adding the MSR, so the guest runs with the host's value of an MSR perf asked to switch (e.g. PEBS_ENABLE: host PEBS stays live in the guest, with the faults and stray records that brings)",
  toExplorer: () => always("switch-lists-fit", (w) => w.kvm.unswitched === 0),
};
