import { always, type ConformanceProperty } from "../property.js";

export const noUnknownNmi: ConformanceProperty = {
  id: "no-unknown-nmi",
  title: "every NMI is claimed or swallowed",
  short: "unk-nmi",
  symptom: "Uhhuh. NMI received for unknown reason XX on CPU N.",
  worldSymptom: "unknown-nmi",
  consequence:
    "an NMI no handler claims (perf_event_nmi_handler finds no overflowed counter) goes to unknown_nmi_error in arch/x86/kernel/nmi.c, which prints the Uhhuh message and panics the host when unknown_nmi_panic or panic_on_unrecovered_nmi is set",
  toExplorer: () => always("no-unknown-nmi", (w) => w.perf.unknownNmis === 0),
};
