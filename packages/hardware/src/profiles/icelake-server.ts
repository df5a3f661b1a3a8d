import type { HardwareProfileInput } from "../profile.js";

/** Ice Lake-SP (model 0x6a): PMU v5, PEBS isolation in hardware, adaptive and EPT-friendly PEBS. */
export const icelakeServer: HardwareProfileInput = {
  id: "icelake-server",
  title: "Ice Lake-SP 0x6a, PMU v5, isolation, adaptive and EPT-friendly PEBS",
  family: 6,
  model: 0x6a,
  stepping: 6,
  microcode: 0xd0003e7,
  pmuVersion: 5,
  numGp: 8,
  numFixed: 4,
  pebs: true,
  adaptivePebs: true,
  eptFriendlyPebs: true,
  loadPerfGlobalCtrl: true,
  listCapacity: 8,
  nmiReason: 0x00,
  cpu: 0,
};
