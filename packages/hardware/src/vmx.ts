import type { HwConfig } from "./config.js";
import { writeMsr } from "./msr-file.js";
import { MSR_CORE_PERF_GLOBAL_CTRL } from "./msr-index.js";
import type { HwObserver } from "./observer.js";
import { ENTRY_LOAD_GLOBAL_CTRL, EXIT_LOAD_GLOBAL_CTRL, EXIT_SAVE_GLOBAL_CTRL, type HwState } from "./state.js";
import { entryMsr, entryValue } from "./vmx-lists.js";

/**
 * VMX transitions (Intel SDM Vol. 3C 26.4 and 27.4-27.6: loading guest and host state, then the
 * MSR-load lists).
 */

/**
 * VM-entry: the CPU loads GUEST_IA32_PERF_GLOBAL_CTRL (if VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL),
 * then the VM-entry MSR-load list in order, and runs the guest.
 */
export function vmEntry(s: HwState, cfg: HwConfig, obs: HwObserver): void {
  s.mode = 1;
  if (s.globalCtrlLoadControls & ENTRY_LOAD_GLOBAL_CTRL) {
    writeMsr(s, MSR_CORE_PERF_GLOBAL_CTRL, s.guestGlobalCtrlField, "field-load", obs);
  }
  const l = s.entryList;
  for (let i = 0; i < l.length; i++) writeMsr(s, entryMsr(l.at(i)), entryValue(l.at(i)), "entry-load", obs);
  // With PEBS isolation no host PEBS assist fires on the guest's side (commit 9b545c04abd4: "never
  // fire at the wrong side of the host/guest transition"); without it a latent one may.
  if (cfg.pebsIsolation && s.pebsLatent) {
    s.pebsLatent = 0;
    obs.event("PEBS isolation: no latent host PEBS assist crosses VM-entry");
  }
}

/**
 * VM-exit: the CPU saves guest state (GUEST_IA32_PERF_GLOBAL_CTRL if
 * VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL, SDM Vol. 3C 28.3.1), stores the MSR-store list (28.4),
 * loads HOST_IA32_PERF_GLOBAL_CTRL (if VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL, 28.5.1), then the
 * VM-exit MSR-load list in order (28.6), and returns to the host. This completes a round trip.
 */
export function vmExit(s: HwState, obs: HwObserver): void {
  if (s.globalCtrlLoadControls & EXIT_SAVE_GLOBAL_CTRL) s.guestGlobalCtrlField = s.globalCtrl;
  if (s.autostoreGlobalCtrl) s.autostoreGlobalCtrlValue = s.globalCtrl;
  s.mode = 0;
  if (s.globalCtrlLoadControls & EXIT_LOAD_GLOBAL_CTRL) {
    writeMsr(s, MSR_CORE_PERF_GLOBAL_CTRL, s.hostGlobalCtrlField, "field-load", obs);
  }
  const l = s.exitList;
  for (let i = 0; i < l.length; i++) writeMsr(s, entryMsr(l.at(i)), entryValue(l.at(i)), "exit-load", obs);
  obs.roundTripDone();
}

/**
 * VM-exit with reason EXIT_REASON_EXCEPTION_NMI caused by an NMI (NMI exiting = 1): the NMI is
 * not delivered to the guest; it is consumed by the exit and NMIs stay blocked until the host's
 * handler IRETs (SDM Vol. 3C 27.2.3 and 26.7.1). KVM then runs the host handler itself
 * (handle_exception_nmi_irqoff in v5.11, vmx_do_nmi_irqoff in v6.16).
 */
export function nmiVmExit(s: HwState, obs: HwObserver): void {
  s.nmiLatched = 0;
  s.nmiBlocked = 1;
  obs.event("NMI in non-root: VM-exit (EXIT_REASON_EXCEPTION_NMI)");
  vmExit(s, obs);
}
