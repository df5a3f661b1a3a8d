import type { AssumptionSpec } from "./spec.js";

/**
 * What a PMI the PMU raises while LVTPC is masked does. The SDM (Vol. 3A 11.5.1) says the mask
 * "inhibits reception"; whether the APIC then drops the interrupt or delivers it once unmasked is
 * not stated for the performance-counter LVT. "hold" (the default, the model's rule since the
 * 2021 scenarios: it lets both PMIs of a PEBS+INT overflow arrive) delivers it after the unmask;
 * "drop" loses it. `--masked-pmi` picks one. The rule lives where the PMI is raised (hardware
 * apic.ts, told by HwConfig.dropMaskedPmi, which cell.ts sets from this record): it changes what
 * an overflow does, not which transitions are offered, so the frontier does not move it.
 */
export type MaskedPmi = "hold" | "drop";
export const DEFAULT_MASKED_PMI: MaskedPmi = "hold";

export const MASKED_PMI: AssumptionSpec<"maskedPmi", MaskedPmi> = {
  id: "maskedPmi",
  title: "masked PMI",
  unit: "",
  flag: "--masked-pmi",
  env: "SWITCHLAB_MASKED_PMI",
  help: "a PMI raised while LVTPC is masked: held until the unmask (default) or dropped",
  short: "masked",
  shape: { kind: "choice", words: ["hold", "drop"] },
  default: DEFAULT_MASKED_PMI,
  read: (sc) => sc.maskedPmi ?? DEFAULT_MASKED_PMI,
  write: (sc, v) => ({ ...sc, maskedPmi: v }),
  label: (v) => `masked PMI ${v}`,
};
