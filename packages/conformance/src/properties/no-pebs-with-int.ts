import { always, type ConformanceProperty } from "../property.js";

export const noPebsWithInt: ConformanceProperty = {
  id: "no-pebs-with-int",
  title: "no enabled counter has both its PEBS_ENABLE bit and EVTSEL.INT",
  short: "pebs+int",
  symptom: "one overflow raises two PMIs (PEBS threshold and counter overflow)",
  consequence:
    "intel_pmu_pebs_enable (arch/x86/events/intel/ds.c) clears ARCH_PERFMON_EVENTSEL_INT on a PEBS counter because the PEBS threshold raises its PMI; with both set, one overflow raises two PMIs, and the NMI that finds the work already done by intel_pmu_handle_irq is an unknown NMI unless nmi.c swallows it",
  toExplorer: () => always("no-pebs-with-int", (w) => (w.hw.pebsEnable & w.hw.evtselInt & w.hw.evtselEn) === 0),
};
