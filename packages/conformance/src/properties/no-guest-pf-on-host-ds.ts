import { always, type ConformanceProperty } from "../property.js";

export const noGuestPfOnHostDs: ConformanceProperty = {
  id: "no-guest-pf-on-host-ds",
  title: "no PEBS assist reads the host debug store from the guest",
  short: "guest-pf",
  symptom: "guest page fault at DS_AREA + 0x38 (a guest oops at a host address ending in ...038)",
  worldSymptom: "guest-pf-on-host-ds",
  consequence:
    "a PEBS assist in VMX non-root reads pebs_interrupt_threshold at DS_AREA + 0x38 of the host debug store that arch/x86/events/intel/ds.c set up (alloc_ds_buffer / init_debug_store_on_cpu) through the guest's page tables, so the guest takes a #PF at a host address it never mapped and oopses",
  toExplorer: () => always("no-guest-pf-on-host-ds", (w) => w.hw.guestPf === 0),
};
