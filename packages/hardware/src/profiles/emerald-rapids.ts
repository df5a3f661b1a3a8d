import type { HardwareProfileInput } from "../profile.js";

/**
 * Emerald Rapids (model 0xcf): PMU v5, isolation, adaptive and EPT-friendly PEBS. The CPU of the
 * published round-trip figures in the 2026 series (domain.md section 7). Sapphire Rapids class:
 * VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL.
 */
export const emeraldRapids: HardwareProfileInput = {
  id: "emerald-rapids",
  title: "Emerald Rapids 0xcf, PMU v5, isolation, adaptive and EPT-friendly PEBS",
  family: 6,
  model: 0xcf,
  stepping: 2,
  microcode: 0x21000283,
  pmuVersion: 5,
  numGp: 8,
  numFixed: 4,
  pebs: true,
  adaptivePebs: true,
  eptFriendlyPebs: true,
  loadPerfGlobalCtrl: true,
  savePerfGlobalCtrl: true,
  listCapacity: 8,
  nmiReason: 0x00,
  cpu: 0,
};
