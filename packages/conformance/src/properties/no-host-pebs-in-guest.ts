import { always, type ConformanceProperty } from "../property.js";

export const noHostPebsInGuest: ConformanceProperty = {
  id: "no-host-pebs-in-guest",
  title: "on CPUs without PEBS isolation, no PEBS_ENABLE bit is live in VMX non-root",
  short: "in-guest",
  symptom: "host PEBS records can overshoot VM-entry into guest memory, or fault through the guest's page tables",
  worldSymptom: "stale-pebs-enable",
  applies: (cell) => cell.profile.pebsNoIsolation,
  appliesTo: "CPUs without PEBS isolation",
  consequence:
    "without the PEBS isolation microcode (x86_pmu.pebs_no_isolation, arch/x86/events/intel/core.c) a PEBS assist still in flight at VM-entry completes in the guest, so intel_guest_get_msrs must load PEBS_ENABLE = 0 for the guest; a live bit writes host records into guest memory or faults through the guest's page tables",
  toExplorer: () => always("no-host-pebs-in-guest", (w) => w.hw.mode === 0 || w.hw.pebsEnable === 0),
};
