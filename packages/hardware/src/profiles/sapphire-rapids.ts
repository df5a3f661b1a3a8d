import type { HardwareProfileInput } from "../profile.js";

/**
 * Sapphire Rapids (model 0x8f): PMU v5, isolation, adaptive and EPT-friendly PEBS, and the first
 * CPU with VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL (commit d3ba32d1ff2a: "introduced by Sapphire
 * Rapids"), which the mediated vPMU uses to save the guest's GLOBAL_CTRL at VM-exit.
 */
export const sapphireRapids: HardwareProfileInput = {
  id: "sapphire-rapids",
  title: "Sapphire Rapids 0x8f, PMU v5, isolation, adaptive and EPT-friendly PEBS, GLOBAL_CTRL saved at exit",
  family: 6,
  model: 0x8f,
  stepping: 8,
  microcode: 0x2b000603,
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

/**
 * The same CPU with VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL not offered (a hypervisor below that
 * does not expose the control, or a VMX capability MSR that lacks it): KVM falls back to the
 * VM-exit MSR-store list for the mediated vPMU's GLOBAL_CTRL (vmx_recalc_pmu_msr_intercepts,
 * vmx.c l.4211-4218 in 7.1.5; commit d374b89edbb9), as on Skylake and Ice Lake. Only that
 * capability differs from sapphire-rapids, so the two columns isolate its effect.
 */
export const sapphireRapidsNoSave: HardwareProfileInput = {
  ...sapphireRapids,
  id: "sapphire-rapids-no-save",
  title: "Sapphire Rapids 0x8f without VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL (GLOBAL_CTRL through the MSR-store list)",
  savePerfGlobalCtrl: false,
};
