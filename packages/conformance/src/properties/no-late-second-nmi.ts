import { always, type ConformanceProperty } from "../property.js";

export const noLateSecondNmi: ConformanceProperty = {
  id: "no-late-second-nmi",
  title:
    "when one NMI handles two PMIs, the second PMI's NMI comes back to back and is swallowed (nmi.c's swallow_nmi)",
  short: "late-nmi",
  symptom:
    "Uhhuh. NMI received for unknown reason XX on CPU N., for a PMI the previous NMI already handled (independent of the MSR switch)",
  worldSymptom: "unknown-nmi",
  consequence:
    "default_do_nmi in arch/x86/kernel/nmi.c swallows the second PMI's NMI only when it arrives back to back (same last_nmi_rip); arriving later it finds nothing to handle and goes to unknown_nmi_error, a spurious Uhhuh message or a panic with unknown_nmi_panic",
  toExplorer: () => always("no-late-second-nmi", (w) => w.perf.lateSecondNmi === 0),
};
