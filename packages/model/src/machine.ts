import {
  canDeliverPmi,
  deliverPmi,
  gpCounting,
  latentPebsAssist,
  nmiVmExit,
  overflowGp,
  takeNmi,
  vmExit,
} from "@switchlab/hardware";
import {
  EXIT_EXTINT,
  EXIT_FAILED_ENTRY,
  EXIT_FASTPATH,
  EXIT_NMI,
  EXIT_SLOW,
  RUN_LOOP_RIP_BASE,
  STEP,
  STEP_BUDGET,
  VMX_TRANSITION_INSNS,
} from "@switchlab/kvm";
import type { CompiledSequence } from "@switchlab/policy-api";
import { GUEST_WRITES, guestWritesNeed } from "./assumptions/guest-writes.js";
import { NMIS, nmisNeed } from "./assumptions/nmis.js";
import { OTHER_NMIS, otherNmisNeed } from "./assumptions/other-nmis.js";
import { OVERFLOWS, overflowsNeed } from "./assumptions/overflows.js";
import { OVERFLOWS_PER_EVENT, overflowsPerEventNeed } from "./assumptions/overflows-per-event.js";
import { PEBS_QUIESCENT, pebsQuiescentNeed } from "./assumptions/pebs-quiescent.js";
import { PMI_LATENCY, pmiLatencyNeed } from "./assumptions/pmi-latency.js";
import { allows } from "./assumptions/spec.js";
import { TICKS, ticksNeed } from "./assumptions/ticks.js";
import type { ModelEnv } from "./env.js";
import { GUEST_WRITE_NAMES, guestCounterOverflowed, guestWrite, guestWriteEnabled } from "./guest.js";
import { currentProbe, PROBE_PC, PROBE_WHERE } from "./probe.js";
import { cloneWorld, type World } from "./world.js";

/** What kind of choice an action is. */
export type ActionKind = "step" | "exit" | "nmi" | "overflow" | "latent" | "tick" | "sched" | "entry-fail" | "guest";

/**
 * One enabled choice. Its name, `<what>@<program point>` (a plain step is named by its point),
 * comes from {@link Machine.actionName}: names are built only when a path is shown or replayed,
 * never in the explorer's hot loop. Names keep a saved interleaving replayable, or failing
 * loudly with the step that no longer exists, after the model changes.
 */
export interface Action {
  readonly kind: ActionKind;
  /** Counter for overflows, exit reason for exits, activity index for sched. */
  readonly arg: number;
}

/**
 * The run loop ran STEP_BUDGET steps without a VM-exit: a patched sequence loops. The world stops
 * there (no action is enabled), with the watchdog past the budget, so the explorer finds the path
 * to it like any violation (conformance's run-loop-exits check) and reports the row as
 * `error: run loop never reaches VM-exit` with that path.
 */
export function runLoopStuck(w: World): boolean {
  return w.kvm.watchdog > STEP_BUDGET;
}

/** The actions as shared constants: enumerating them allocates nothing but the list. */
const STEP_A: Action = Object.freeze({ kind: "step", arg: 0 });
const NMI_A: Action = Object.freeze({ kind: "nmi", arg: 0 });
/** An NMI that is not a PMI (assumptions/other-nmis.ts). */
const OTHER_NMI_A: Action = Object.freeze({ kind: "nmi", arg: 1 });
const TICK_A: Action = Object.freeze({ kind: "tick", arg: 0 });
const ENTRY_FAIL_A: Action = Object.freeze({ kind: "entry-fail", arg: 0 });
const EXIT_A: Readonly<Record<string, Action>> = {
  fastpath: Object.freeze({ kind: "exit", arg: EXIT_FASTPATH }),
  slow: Object.freeze({ kind: "exit", arg: EXIT_SLOW }),
};
/** The external-interrupt VM-exit a vector pending in the IRR forces at VM-entry (guestActionsInto). */
const EXTINT_EXIT_A: Action = Object.freeze({ kind: "exit", arg: EXIT_EXTINT });
const OVERFLOW_A: readonly Action[] = Array.from(
  { length: 8 },
  (_, k) => Object.freeze({ kind: "overflow", arg: k }) as Action,
);
const LATENT_A: readonly Action[] = Array.from(
  { length: 8 },
  (_, k) => Object.freeze({ kind: "latent", arg: k }) as Action,
);
/** The mediated guest's PMU writes (guest.ts), by GUEST_WRITE_NAMES index. */
const GUEST_A: readonly Action[] = GUEST_WRITE_NAMES.map((_, i) => Object.freeze({ kind: "guest", arg: i }) as Action);
const SCHED_A: readonly Action[] = Array.from(
  { length: 16 },
  (_, i) => Object.freeze({ kind: "sched", arg: i }) as Action,
);

/** Program points of host activities are numbered from here (tick: +0x20, sched i: +0x20 * (2 + i)). */
const HOST_RIP_BASE = 0x200;

/**
 * The machine: which actions the hardware and the kernel allow in a world, and what each does.
 * It holds configuration only; every call takes a world and returns a new one.
 */
export class Machine {
  private readonly guestPc: number;
  private readonly irqsOnPc: number;
  private readonly donePc: number;
  private readonly afterGuestPc: number;
  /** The VM-entry step (VMRESUME), where a scenario may let the entry fail. */
  private readonly vmEntryPc: number;
  private readonly failEntry: boolean;
  /** PMI delivery latency bound in instructions (Infinity: unbounded). */
  private readonly latency: number;
  /** PEBS quiescent period in instructions. */
  private readonly quiescent: number;
  /** The budgets the world counts down from (overflows, NMIs, ticks) and the per-event cap (Infinity: none). */
  private readonly overflows: number;
  private readonly perEvent: number;
  private readonly nmis: number;
  private readonly otherNmis: number;
  private readonly ticks: number;
  /** The mediated guest's PMU writes in all (0 without the mediated vPMU: its guest has none to make). */
  private readonly guestWrites: number;
  /** The watchdog's probe words (probe.ts), when this thread has one. */
  private readonly probe: Int32Array | undefined;

  constructor(readonly env: ModelEnv) {
    const sc = env.scenario;
    const latency = PMI_LATENCY.read(sc);
    this.latency = latency === "unbounded" ? Number.POSITIVE_INFINITY : latency;
    this.quiescent = PEBS_QUIESCENT.read(sc);
    const perEvent = OVERFLOWS_PER_EVENT.read(sc);
    this.overflows = OVERFLOWS.read(sc);
    this.perEvent = perEvent === "none" ? Number.POSITIVE_INFINITY : perEvent;
    this.nmis = NMIS.read(sc);
    this.otherNmis = OTHER_NMIS.read(sc);
    this.ticks = TICKS.read(sc);
    this.guestWrites = env.kvm.mediated ? GUEST_WRITES.read(sc) : 0;
    const rl = env.seq.runLoop;
    this.guestPc = rl.at(STEP.guest);
    this.irqsOnPc = rl.at(STEP.irqsOn);
    this.donePc = rl.at(STEP.done);
    this.afterGuestPc = this.guestPc + 1;
    this.vmEntryPc = rl.at(STEP.vmEntry);
    this.failEntry = env.scenario.exits.includes("failed-entry");
    const pr = currentProbe();
    this.probe = pr?.words;
    pr?.cellBuilt?.({
      vcpu_run: rl.steps.map((s) => s.id),
      perf_tick: env.seq.tick.steps.map((s) => s.id),
      perf_sched: env.seq.sched.steps.map((s) => s.id),
      nmi: ["perf_event_nmi_handler"],
    });
  }

  /** The sequence of the host activity running now, if any. */
  private activitySeq(w: World): CompiledSequence<World, ModelEnv> | undefined {
    if (w.host.act === 0) return undefined;
    return w.host.act === 1 ? this.env.seq.tick : this.env.seq.sched;
  }

  /** The program point the CPU is at: the running host activity's step, or the run loop's. */
  point(w: World, env: ModelEnv = this.env): string {
    const act = this.activitySeq(w);
    if (act) {
      const id = act.steps[w.host.pc]?.id ?? "?";
      return w.host.act >= 2 ? `${id}[${env.scenario.activities[w.host.act - 2]?.id}]` : id;
    }
    const s = env.seq.runLoop.steps[w.kvm.pc];
    if (!s) return "?";
    return s.label ? `${s.id}(${s.label(w, env)})` : s.id;
  }

  /** nmi.c's regs->ip for an NMI taken now: a number per program point. */
  rip(w: World): number {
    return w.host.act ? HOST_RIP_BASE + 0x20 * w.host.act + w.host.pc : RUN_LOOP_RIP_BASE + w.kvm.pc;
  }

  isGuest(w: World): boolean {
    return w.host.act === 0 && w.kvm.pc === this.guestPc;
  }

  isDone(w: World): boolean {
    return w.host.act === 0 && w.kvm.pc === this.donePc;
  }

  /** At the run loop's IRQs-on point with no host activity running. */
  isIrqsOn(w: World): boolean {
    return w.host.act === 0 && w.kvm.pc === this.irqsOnPc;
  }

  /** The stable name of an action in a world. */
  actionName(w: World, a: Action): string {
    const at = this.point(w);
    switch (a.kind) {
      case "step":
        return at;
      case "exit":
        return `vmexit:${a.arg === EXIT_FASTPATH ? "fastpath" : a.arg === EXIT_EXTINT ? "extint" : "slow"}@guest`;
      case "nmi":
        return `${a.arg ? "other-nmi" : "nmi"}@${at}`;
      case "overflow":
        return `overflow${a.arg}@${at}`;
      case "latent":
        return `latent-pebs${a.arg}@${at}`;
      case "tick":
        return `tick@${at}`;
      case "entry-fail":
        return `vmentry-fail@${at}`;
      case "guest":
        return `${GUEST_WRITE_NAMES[a.arg]}@${at}`;
      case "sched":
        return `sched:${this.env.scenario.activities[a.arg]?.id}@${at}`;
    }
  }

  /** The enabled action with this name, if any. */
  findAction(w: World, name: string): Action | undefined {
    return this.actions(w).find((a) => this.actionName(w, a) === name);
  }

  /**
   * A deliverable PMI has waited as many instructions of the interrupted context as the latency
   * bound allows: the APIC must deliver it before anything else runs. (A PMI may be taken after a
   * step if some instruction boundary inside the step was still within the bound: age < bound.)
   * When the NMI budget is spent by then, the run ends there: going on without the NMI would be a
   * behaviour no CPU has (a PMI held past the latency bound), so the budget only shortens runs.
   * The rule is the PMI latency's (assumptions/pmi-latency.ts), for any action but the NMI.
   */
  private due(w: World): boolean {
    return !allows(pmiLatencyNeed, w, STEP_A, this.latency);
  }

  /** Counter k's overflow (or latent assist) `a` is left to it: the budget in all, and the per-event cap. */
  private mayOverflow(w: World, a: Action, k: number): boolean {
    // A counter overflows only while it holds a period (hardware pmu.ts), within the budget
    // (assumptions/overflows.ts) and its event's cap (assumptions/overflows-per-event.ts).
    return (
      ((w.hw.ctrArmed >>> k) & 1) === 1 &&
      allows(overflowsNeed, w, a, this.overflows) &&
      allows(overflowsPerEventNeed, w, a, this.perEvent)
    );
  }

  /** The instructions the action runs in the interrupted context (its first step, for a host activity). */
  private insnsOf(w: World, a: Action, env: ModelEnv): number {
    if (a.kind === "step") {
      const act = this.activitySeq(w);
      return act ? act.insnsAt(w.host.pc, w, env) : env.seq.runLoop.insnsAt(w.kvm.pc, w, env);
    }
    if (a.kind === "tick") return env.seq.tick.insnsAt(0, w, env);
    if (a.kind === "sched") return env.seq.sched.insnsAt(0, w, env);
    // A VM-exit retires no instruction; the host code after it is in the run loop's steps (kvm insns.ts).
    if (a.kind === "exit") return VMX_TRANSITION_INSNS.vmExit;
    return 0;
  }

  /** Every enabled action, in a fixed order. */
  actions(w: World): Action[] {
    const out: Action[] = [];
    out.length = this.actionsInto(w, out);
    return out;
  }

  /** Write every enabled action into out[0..n-1], in a fixed order, and return n (the explorer's hot path). */
  actionsInto(w: World, out: Action[]): number {
    const env = this.env;
    let n = 0;
    const sc = env.scenario;
    if (runLoopStuck(w)) return 0;
    if (this.due(w)) {
      // The NMI budget (assumptions/nmis.ts) spent: the run ends here.
      if (!allows(nmisNeed, w, NMI_A, this.nmis)) return 0;
      out[0] = NMI_A;
      return 1;
    }
    if (w.host.act) {
      out[n++] = STEP_A;
    } else if (w.kvm.pc === this.guestPc) {
      if (w.hw.vpmiIrr) {
        // Vector 0xf5 waits in the IRR at VM-entry (delivered in root with IRQs off). KVM always
        // sets external-interrupt exiting (7.1.5 vmx.h l.503 KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL:
        // PIN_BASED_EXT_INTR_MASK), so RFLAGS.IF does not block it and it causes a VM-exit (SDM
        // Vol. 3C "Event Blocking" and "Other Causes of VM Exits", 25.3/25.2 or 26.3/26.2 by
        // edition) before the guest's first instruction: no guest overflow, no exit the guest's
        // code causes. Only an NMI (higher priority, SDM Vol. 3A 6.9) may come first. (Blocking by
        // STI in the guest's interruptibility state could let one guest instruction run first; not modelled.)
        out[n++] = EXTINT_EXIT_A;
      } else {
        for (const x of sc.exits) if (x !== "failed-entry") out[n++] = EXIT_A[x] as Action;
        // The mediated guest writes its passed-through PMU MSRs (guest.ts), within its budget.
        if (this.guestWrites > 0)
          for (const a of GUEST_A)
            if (allows(guestWritesNeed, w, a, this.guestWrites) && guestWriteEnabled(w, env, a.arg)) out[n++] = a;
      }
    } else if (w.kvm.pc !== this.donePc) {
      out[n++] = STEP_A;
      // VMRESUME fails (VMfail: vmx->fail), once in a run.
      if (this.failEntry && w.kvm.pc === this.vmEntryPc && !w.kvm.failedEntry) out[n++] = ENTRY_FAIL_A;
    }
    if (w.host.act === 0 && (w.kvm.pc === this.irqsOnPc || w.kvm.pc === this.donePc)) {
      // perf_event_task_tick, within the tick budget (assumptions/ticks.ts).
      if (allows(ticksNeed, w, TICK_A, this.ticks)) out[n++] = TICK_A;
      for (let i = 0; i < sc.activities.length; i++) if (!(w.host.used & (1 << i))) out[n++] = SCHED_A[i] as Action;
    }
    if (allows(nmisNeed, w, NMI_A, this.nmis) && canDeliverPmi(w.hw) && w.hw.nmiBlocked === 0) out[n++] = NMI_A;
    // An NMI from another source, whenever NMIs are unblocked (assumptions/other-nmis.ts).
    if (w.hw.nmiBlocked === 0 && allows(otherNmisNeed, w, OTHER_NMI_A, this.otherNmis)) out[n++] = OTHER_NMI_A;
    // A guest held at VM-entry by a pending vector retires no instruction: nothing overflows.
    if (sc.overflows.counters.length && !(w.hw.vpmiIrr && w.hw.mode === 1)) {
      const counting = gpCounting(w.hw, env.hw);
      for (const k of sc.overflows.counters) {
        const a = OVERFLOW_A[k] as Action;
        if (counting & (1 << k) && this.mayOverflow(w, a, k)) out[n++] = a;
      }
      // A latent PEBS assist: the record of an overflow just before PEBS_ENABLE was cleared,
      // within the quiescent period (assumptions/pebs-quiescent.ts).
      if (w.hw.pebsLatent)
        for (const k of sc.overflows.counters) {
          const a = LATENT_A[k] as Action;
          if (
            w.hw.pebsLatent & (1 << k) &&
            allows(pebsQuiescentNeed, w, a, this.quiescent) &&
            this.mayOverflow(w, a, k)
          )
            out[n++] = a;
        }
    }
    return n;
  }

  /**
   * An NMI that is not a PMI arrives (NMIs unblocked): another source's handler will claim it
   * (w.perf.otherNmiClaim). In VMX non-root it is an NMI VM-exit, handled by KVM's NMI path as a
   * PMI's is; in VMX root the CPU takes it and default_do_nmi runs every NMI_LOCAL handler,
   * perf_event_nmi_handler among them (arch/x86/kernel/nmi.c nmi_handle).
   */
  private otherNmi(w: World, env: ModelEnv): void {
    w.budget.otherNmis--;
    w.perf.otherNmiClaim = 1;
    env.obs.event("NMI from another source (IPI backtrace, external): not a PMI");
    if (w.hw.mode === 1) {
      nmiVmExit(w.hw, env.obs);
      this.exited(w, EXIT_NMI);
      return;
    }
    takeNmi(w.hw);
    env.k.nmi.defaultDoNmi(w, env, this.rip(w));
    env.k.nmi.iret(w);
  }

  /** The world after an action (the input is not changed). */
  apply(w0: World, a: Action, env: ModelEnv = this.env): World {
    const w = cloneWorld(w0);
    this.applyInPlace(w, a, env);
    return w;
  }

  /** Take an action, changing the world in place (the explorer's hot path). */
  applyInPlace(w: World, a: Action, env: ModelEnv = this.env): void {
    // The interrupted context runs the action's instructions: a deliverable PMI ages by them
    // (capped at the bound: older is the same as due), and so does the quiescent period.
    const insns = this.insnsOf(w, a, env);
    if (insns > 0) {
      if (this.latency !== Number.POSITIVE_INFINITY && canDeliverPmi(w.hw) && w.hw.nmiBlocked === 0)
        w.hw.pmiAge = Math.min(w.hw.pmiAge + insns, this.latency);
      // Each latent counter's period runs out on its own (the SDM's quiescent period is per assist).
      for (let k = 0, m = w.hw.pebsLatent; m >>> k !== 0; k++) {
        if (!((m >>> k) & 1)) continue;
        const age = (w.hw.pebsLatentAge[k] as number) + insns;
        if (age >= this.quiescent) {
          w.hw.pebsLatent &= ~(1 << k);
          w.hw.pebsLatentAge[k] = 0;
        } else w.hw.pebsLatentAge[k] = age;
      }
    }
    switch (a.kind) {
      case "step":
        this.runStep(w, env);
        break;
      case "exit":
        vmExit(w.hw, env.obs);
        this.exited(w, a.arg);
        break;
      case "entry-fail":
        // VMfail (SDM Vol. 3C 26.1 and 30.2): the instruction fails with nothing loaded or
        // saved; vmx_vcpu_run returns EXIT_FASTPATH_NONE (7.1.5 l.7652) and the run stops.
        env.obs.event("VMRESUME fails (VMfail): no VM-entry, nothing loaded");
        w.kvm.failedEntry = 1;
        this.exited(w, EXIT_FAILED_ENTRY, false);
        break;
      case "nmi":
        if (this.probe) this.probe[PROBE_WHERE] = 4;
        if (a.arg === 1) {
          this.otherNmi(w, env);
          break;
        }
        w.budget.nmis--;
        deliverPmi(w.hw, env.obs);
        if (!w.hw.nmiLatched) {
          // Delivered as vector 0xf5 (LVTPC in fixed mode): in VMX non-root an external-interrupt
          // VM-exit, acked on exit (SDM Vol. 3C 26.2, 27.2); in VMX root it waits in the IRR for IF=1.
          if (w.hw.mode === 1) {
            vmExit(w.hw, env.obs);
            this.exited(w, EXIT_EXTINT);
          }
          break;
        }
        if (w.hw.mode === 1) {
          nmiVmExit(w.hw, env.obs);
          this.exited(w, EXIT_NMI);
        } else {
          takeNmi(w.hw);
          env.k.nmi.defaultDoNmi(w, env, this.rip(w));
          env.k.nmi.iret(w);
        }
        break;
      case "overflow":
      case "latent": {
        w.budget.overflows--;
        const ev = (w.perf.events[a.arg] ?? 0) - 1;
        if (ev >= 0) w.budget.evOverflows[ev] = (w.budget.evOverflows[ev] ?? 0) + 1;
        if (a.kind === "overflow") {
          overflowGp(w.hw, a.arg, env.hw, env.obs);
          guestCounterOverflowed(w, a.arg);
        } else latentPebsAssist(w.hw, a.arg, env.hw, env.obs);
        break;
      }
      case "tick":
        w.budget.ticks--;
        w.host.act = 1;
        w.host.pc = 0;
        this.runStep(w, env);
        break;
      case "guest":
        w.budget.guestWrites--;
        guestWrite(w, env, a.arg);
        break;
      case "sched":
        w.host.used |= 1 << a.arg;
        w.host.act = 2 + a.arg;
        w.host.pc = 0;
        this.runStep(w, env);
        break;
    }
    // Without a quiescent period a cleared PEBS bit leaves nothing behind.
    if (this.quiescent === 0 && w.hw.pebsLatent) w.hw.pebsLatent = 0;
  }

  /** KVM's side of a VM-exit (or a failed entry): the reason, a round trip done, the run loop after the guest. */
  private exited(w: World, reason: number, roundTrip = true): void {
    w.kvm.exitReason = reason;
    if (roundTrip) w.kvm.roundTrips++;
    w.kvm.watchdog = 0;
    w.kvm.pc = this.afterGuestPc;
  }

  /** Run one step of the running context. */
  private runStep(w: World, env: ModelEnv): void {
    const act = this.activitySeq(w);
    const pr = this.probe;
    if (act) {
      if (pr) {
        pr[PROBE_WHERE] = w.host.act === 1 ? 2 : 3;
        pr[PROBE_PC] = w.host.pc;
      }
      w.host.pc = act.runAt(w.host.pc, w, env);
      if (w.host.pc >= act.steps.length) {
        w.host.act = 0;
        w.host.pc = 0;
      }
      return;
    }
    const rl = env.seq.runLoop;
    if (++w.kvm.watchdog > STEP_BUDGET) return;
    if (pr) {
      pr[PROBE_WHERE] = 1;
      pr[PROBE_PC] = w.kvm.pc;
    }
    w.kvm.pc = rl.runAt(w.kvm.pc, w, env);
    if (w.kvm.pc >= rl.steps.length)
      throw new Error(`run loop fell off its end after ${rl.steps[rl.steps.length - 1]?.id}`);
  }
}
