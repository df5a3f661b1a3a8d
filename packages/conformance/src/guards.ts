import type { Property } from "@switchlab/explorer";
import { gpCounting } from "@switchlab/hardware";
import { EXIT_FASTPATH, RUN_LOOP_RIP_BASE, STEP } from "@switchlab/kvm";
import type { Cell, World } from "@switchlab/model";
import { MAX_INTERRUPTS } from "@switchlab/perf";

/**
 * `sometimes` guards: states a scenario must be able to reach, so that a property passing on it
 * is not vacuous (the interesting window was really explored). Scenarios name the guards they
 * expect; an unreached guard is reported beside the verdicts.
 */
export interface Guard {
  readonly id: string;
  readonly title: string;
  holds(w: World, cell: Cell): boolean;
}

/** nmi.c's last_nmi_rip of a run-loop program point (the machine numbers them from RUN_LOOP_RIP_BASE). */
function inSwitchWindow(cell: Cell, pc: number): boolean {
  const rl = cell.env.seq.runLoop;
  return pc > rl.at(STEP.getMsrs) && pc <= rl.at(STEP.guest);
}

export const GUARDS: readonly Guard[] = [
  {
    id: "throttled-after-snapshot",
    title: "a PMI taken between perf_guest_get_msrs and VM-entry left a host PEBS event throttled",
    holds: (w, cell) =>
      w.host.act === 0 &&
      inSwitchWindow(cell, w.kvm.pc) &&
      inSwitchWindow(cell, w.perf.lastNmiRip - RUN_LOOP_RIP_BASE) &&
      cell.scenario.events.some((e, i) => e.precise && !e.excludeHost && w.perf.evInterrupts[i] === MAX_INTERRUPTS),
  },
  {
    id: "counter-handed-over",
    title: "a scheduling activity ran and started the events it added",
    holds: (w, cell) =>
      w.host.used !== 0 &&
      w.host.act === 0 &&
      cell.scenario.activities.every(
        (a, i) => !(w.host.used & (1 << i)) || a.add.every((x) => w.perf.events[x.counter] !== 0),
      ),
  },
  {
    id: "guest-counter-counts",
    title: "a counter of an exclude_host event counts in VMX non-root",
    holds: (w, cell) => w.hw.mode === 1 && (gpCounting(w.hw, cell.env.hw) & w.perf.guestMask) !== 0,
  },
  {
    id: "host-sampling-sampled",
    title: "a host non-PEBS sampling event took a sample",
    holds: (w, cell) =>
      cell.scenario.events.some((e, i) => !e.precise && !e.excludeHost && (w.perf.evInterrupts[i] ?? 0) !== 0),
  },
  {
    id: "fastpath-reentry",
    title: "a fastpath VM-exit re-entered the guest, re-running atomic_switch_perf_msrs with IRQs off",
    holds: (w, cell) =>
      w.kvm.exitReason === EXIT_FASTPATH && w.host.act === 0 && w.kvm.pc === cell.env.seq.runLoop.at(STEP.reenter),
  },
  {
    id: "guest-pebs-record",
    title: "a PEBS record landed in the guest's own debug store",
    holds: (w) => w.hw.guestPebsRecords > 0,
  },
  {
    id: "list-full",
    title: "the VM-entry MSR-load list is full",
    holds: (w, cell) => w.hw.entryList.length >= cell.env.kvm.listCapacity,
  },
  {
    id: "round-trip",
    title: "a VM round trip completed",
    holds: (w) => w.kvm.roundTrips > 0,
  },
];

export function guardProperty(g: Guard, cell: Cell): Property<World> {
  return { id: `guard:${g.id}`, kind: "sometimes", holds: (w) => g.holds(w, cell) };
}
