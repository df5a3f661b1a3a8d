import type { HardwareProfileInput } from "../profile.js";

/**
 * Skylake-SP (model 0x55) stepping 4 with microcode at or above isolation_ucodes' minimum for that
 * stepping (0x00000000: every revision qualifies): PMU v4 with PEBS isolation.
 */
export const skylakeServerIsolationUcode: HardwareProfileInput = {
  id: "skylake-server-isolation-ucode",
  title: "Skylake-SP 0x55 stepping 4, PMU v4, isolation from microcode",
  family: 6,
  model: 0x55,
  stepping: 4,
  microcode: 0x2006e05,
  pmuVersion: 4,
  numGp: 4,
  numFixed: 3,
  pebs: true,
  adaptivePebs: false,
  eptFriendlyPebs: false,
  loadPerfGlobalCtrl: true,
  listCapacity: 8,
  nmiReason: 0x00,
  cpu: 0,
};
