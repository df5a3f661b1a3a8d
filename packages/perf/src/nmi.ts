import { canDeliverPmi, iretFromNmi } from "@switchlab/hardware";
import { injectable } from "tsyringe";
import { MAX_UNKNOWN_NMIS_COUNTED, RIP_FORGOTTEN, RIP_FORGOTTEN_IN_WINDOW } from "./cpu-hw-events.js";
import type { PerfEnv, PerfWorld } from "./env.js";

/** The first line of unknown_nmi_error's message, exactly as the kernel prints it. */
export function unknownNmiMessage(reason: number, cpu: number): string {
  return `Uhhuh. NMI received for unknown reason ${reason.toString(16).padStart(2, "0")} on CPU ${cpu}.`;
}

/**
 * Instructions from intel_pmu_handle_irq's late-ack LVTPC unmask to the IRET that ends the NMI
 * (source estimate, v5.11 and v6.16): the handler's return, perf_event_nmi_handler's
 * perf_sample_event_took, the rest of nmi_handle's NMI_LOCAL list, default_do_nmi's tail,
 * exc_nmi's irqentry_nmi_exit and the entry code's register restore. A PMI the unmask releases
 * has been on its way to the CPU that long when the handler returns: if that covers the PMI
 * latency bound, the CPU latched it as an NMI before the IRET and takes it at once, back to back.
 */
export const NMI_RETURN_INSNS = 160;

/**
 * The explorer's dead-value reduction for last_nmi_rip (explorer README, "Dead values"): after
 * each step, a last_nmi_rip nothing will read before the next NMI writes it is stored as one of
 * two forgotten values, so states that differ only in where an old NMI came are one state.
 * Where does the model read it? default_do_nmi reads it only with swallow_nmi set (defaultDoNmi
 * says why that is the kernel's behaviour), and swallow_nmi is set only by default_do_nmi after it
 * wrote last_nmi_rip. The `throttled-after-snapshot` guard asks only whether it lies in the switch
 * window (`inWindow`), which the two forgotten values keep. Nothing else in the model reads it. A
 * policy that reads a forgotten value through a view is counted (IntField.forgotten), and its
 * row is explored again with every value kept (conformance world-model.ts).
 * `stored` reads the field's stored value from the words (a view would count the read); it is
 * asked only with swallow_nmi clear.
 */
export function forgetDeadRip<W extends PerfWorld>(
  w: W,
  stored: (w: W) => number,
  inWindow: (rip: number) => boolean,
): void {
  if (w.perf.swallowNmi !== 0) return;
  const rip = stored(w);
  if (rip < -1) return;
  w.perf.lastNmiRip = rip >= 0 && inWindow(rip) ? RIP_FORGOTTEN_IN_WINDOW : RIP_FORGOTTEN;
}

/** Whether a stored last_nmi_rip, forgotten or not, is a program point `inWindow` holds for. */
export function ripInWindow(stored: number, inWindow: (rip: number) => boolean): boolean {
  return stored === RIP_FORGOTTEN_IN_WINDOW || (stored >= 0 && inWindow(stored));
}

/** arch/x86/kernel/nmi.c: default_do_nmi and unknown_nmi_error (v5.11; v6.16 noted). */
@injectable()
export class NmiLayer {
  /**
   * default_do_nmi (v5.11): b2b when the interrupted ip equals last_nmi_rip (else swallow_nmi is
   * reset); nmi_handle(NMI_LOCAL) runs perf's handler, plus the claim of another source's handler
   * for an NMI that is not a PMI (`otherNmiClaim`); `handled > 1` arms swallow_nmi; an NMI
   * nobody claims is swallowed if b2b && swallow_nmi, else unknown_nmi_error prints "Uhhuh".
   * (The platform reason byte never has SERR/IOCHK set in the model.) `rip` is the program point
   * the NMI interrupted.
   */
  defaultDoNmi(w: PerfWorld, env: PerfEnv, rip: number): void {
    // An earlier NMI handled more than one PMI: this may be the second half of that pair.
    const secondHalf = w.perf.swallowNmi === 1;
    // The kernel compares regs->ip with last_nmi_rip on every NMI. b2b is used only in
    // `b2b && swallow_nmi`, and the else branch clears swallow_nmi: with swallow_nmi clear, the
    // comparison changes nothing. So the model reads last_nmi_rip only with swallow_nmi set,
    // which is what lets the explorer forget it elsewhere (forgetDeadRip).
    let b2b = false;
    if (secondHalf) {
      if (rip === w.perf.lastNmiRip) b2b = true;
      else w.perf.swallowNmi = 0;
    }
    w.perf.lastNmiRip = rip;
    // nmi_handle(NMI_LOCAL) calls every handler on the list and sums what they claim: perf's
    // (perf_event_nmi_handler: x86_pmu.handle_irq's count, 0 when nothing overflowed), and for an
    // NMI from another source that source's own handler, which claims it (1).
    const other = w.perf.otherNmiClaim;
    w.perf.otherNmiClaim = 0;
    const handled = env.k.x86.perfEventNmiHandler(w, env) + other;
    if (handled) {
      if (handled > 1) w.perf.swallowNmi = 1;
      env.obs.call("default_do_nmi", () => `handled ${handled}${handled > 1 ? ", swallow_nmi armed" : ""}`);
      return;
    }
    if (b2b && w.perf.swallowNmi) {
      env.obs.call("default_do_nmi", "unclaimed back-to-back NMI swallowed (nmi_stats.swallow++)");
      return;
    }
    if (secondHalf) {
      w.perf.lateSecondNmi = 1;
      env.obs.call("default_do_nmi", "the second half of an earlier multi-PMI NMI, not back to back: not swallowed");
    }
    this.unknownNmiError(w, env);
  }

  /**
   * unknown_nmi_error (v5.11): pr_emerg of "Uhhuh. NMI received for unknown reason %02x on CPU
   * %d.", "Do you have a strange power saving mode enabled?", "Dazed and confused, but trying
   * to continue". v6.16 rate-limits the first and last lines and drops the middle one.
   */
  unknownNmiError(w: PerfWorld, env: PerfEnv): void {
    if (w.perf.unknownNmis < MAX_UNKNOWN_NMIS_COUNTED) w.perf.unknownNmis++;
    env.obs.printk(unknownNmiMessage(env.perf.nmiReason, env.perf.cpu));
    if (env.perf.kernel === "v5.11") env.obs.printk("Do you have a strange power saving mode enabled?");
    env.obs.printk("Dazed and confused, but trying to continue");
  }

  /**
   * The NMI entry code's IRET: NMIs unblocked. A PMI still pending (the late-ack unmask let the
   * APIC deliver it) has aged by at least the instructions since the unmask (NMI_RETURN_INSNS).
   * A PMI that was already deliverable when the NMI came (an NMI from another source) keeps its
   * age: the handler never makes it younger.
   */
  iret(w: PerfWorld): void {
    iretFromNmi(w.hw);
    if (canDeliverPmi(w.hw)) w.hw.pmiAge = Math.max(w.hw.pmiAge, NMI_RETURN_INSNS);
  }
}
