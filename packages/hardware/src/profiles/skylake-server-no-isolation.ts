import type { HardwareProfileInput } from "../profile.js";

/**
 * Skylake-SP (model 0x55) stepping 3 with microcode 0x20, below isolation_ucodes' minimum of 0x21
 * for that stepping in v5.11 and v6.16 alike: PMU v4 and pebs_no_isolation = 1. (Cascade Lake,
 * 0x55 steppings 5-7, where the 2020 revert saw guest crashes at host DS + 0x38, is missing from
 * the v5.11 table but listed from 5.12 on, so its derived value would depend on the kernel.)
 */
export const skylakeServerNoIsolation: HardwareProfileInput = {
  id: "skylake-server-no-isolation",
  title: "Skylake-SP 0x55 stepping 3, microcode 0x20 (below isolation_ucodes), PMU v4, no PEBS isolation",
  family: 6,
  model: 0x55,
  stepping: 3,
  microcode: 0x20,
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
