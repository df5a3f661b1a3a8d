import type { Property } from "@switchlab/explorer";
import { gpCounting } from "@switchlab/hardware";
import { exitWasFastpath, RUN_LOOP_RIP_BASE, STEP } from "@switchlab/kvm";
import { type Cell, storedExitReason, storedLastNmiRip, type World } from "@switchlab/model";
import { MAX_INTERRUPTS, ripInWindow } from "@switchlab/perf";

/**
 * `sometimes` guards: states a scenario must be able to reach, so that a property passing on it
 * is not vacuous (the interesting window was really explored). Scenarios name the guards they
 * expect; an unreached guard is reported beside the verdicts.
 */
export interface Guard {
  readonly id: string;
  readonly title: string;
  /** The predicate on one cell's worlds (what it needs of the cell is looked up once, here). */
  on(cell: Cell): (w: World) => boolean;
}

/** Run-loop program points after perf_guest_get_msrs and up to the guest (nmi.c's last_nmi_rip numbers them from RUN_LOOP_RIP_BASE). */
function switchWindow(cell: Cell): (pc: number) => boolean {
  const rl = cell.env.seq.runLoop;
  const from = rl.at(STEP.getMsrs);
  const to = rl.at(STEP.guest);
  return (pc) => pc > from && pc <= to;
}

/**
 * nmi.c rips in the switch window: the one thing the guards ask of last_nmi_rip, so the one thing
 * the explorer keeps of it where default_do_nmi will not read it (perf nmi.ts forgetDeadRip).
 */
export function nmiRipWindow(cell: Cell): (rip: number) => boolean {
  const inWindow = switchWindow(cell);
  return (rip) => inWindow(rip - RUN_LOOP_RIP_BASE);
}

/** The scenario's events matching a predicate, as indices. */
function eventsWhere(cell: Cell, p: (e: Cell["scenario"]["events"][number]) => boolean): number[] {
  return cell.scenario.events.flatMap((e, i) => (p(e) ? [i] : []));
}

export const GUARDS: readonly Guard[] = [
  {
    id: "throttled-after-snapshot",
    title: "a PMI taken between perf_guest_get_msrs and VM-entry left a host PEBS event throttled",
    on: (cell) => {
      const inWindow = switchWindow(cell);
      const ripIn = nmiRipWindow(cell);
      const pebs = eventsWhere(cell, (e) => e.precise && !e.excludeHost);
      return (w) =>
        w.host.act === 0 &&
        inWindow(w.kvm.pc) &&
        ripInWindow(storedLastNmiRip(w), ripIn) &&
        pebs.some((i) => w.perf.evInterrupts[i] === MAX_INTERRUPTS);
    },
  },
  {
    id: "counter-handed-over",
    title: "a scheduling activity ran and started the events it added",
    on: (cell) => (w) =>
      w.host.used !== 0 &&
      w.host.act === 0 &&
      cell.scenario.activities.every(
        (a, i) => !(w.host.used & (1 << i)) || a.add.every((x) => w.perf.events[x.counter] !== 0),
      ),
  },
  {
    id: "guest-counter-counts",
    title: "a counter of an exclude_host event counts in VMX non-root",
    on: (cell) => (w) => w.hw.mode === 1 && (gpCounting(w.hw, cell.env.hw) & w.perf.guestMask) !== 0,
  },
  {
    id: "host-sampling-sampled",
    title: "a host non-PEBS sampling event took a sample",
    on: (cell) => {
      const sampling = eventsWhere(cell, (e) => !e.precise && !e.excludeHost);
      return (w) => sampling.some((i) => (w.perf.evInterrupts[i] ?? 0) !== 0);
    },
  },
  {
    id: "every-pebs-event-sampled",
    title: "every host PEBS event took a sample (its interrupt count moved from where it started)",
    on: (cell) => {
      const sc = cell.scenario;
      const pebs = eventsWhere(cell, (e) => e.precise && !e.excludeHost);
      const start = pebs.map((i) => sc.initial.find((x) => x.event === sc.events[i]?.name)?.interrupts ?? 0);
      return (w) => pebs.every((i, j) => w.perf.evInterrupts[i] !== start[j]);
    },
  },
  {
    id: "one-nmi-two-pmis",
    title: "one NMI handled more than one PMI (nmi.c armed swallow_nmi)",
    on: () => (w) => w.perf.swallowNmi === 1,
  },
  {
    id: "fastpath-reentry",
    title: "a fastpath VM-exit re-entered the guest, re-running atomic_switch_perf_msrs with IRQs off",
    on: (cell) => {
      const reenter = cell.env.seq.runLoop.at(STEP.reenter);
      // The stored exit reason: forgotten there, it keeps whether it was a fastpath exit (kvm run-loop.ts forgetDeadExitReason).
      return (w) => w.host.act === 0 && w.kvm.pc === reenter && exitWasFastpath(storedExitReason(w));
    },
  },
  {
    id: "guest-pebs-record",
    title: "a PEBS record landed in the guest's own debug store",
    on: () => (w) => w.hw.guestPebsRecords > 0,
  },
  {
    id: "list-full",
    title: "the VM-entry MSR-load list is full",
    on: (cell) => (w) => w.hw.entryList.length >= cell.env.kvm.listCapacity,
  },
  {
    id: "mediated-guest-counts",
    title: "mediated vPMU: a counter holding the guest's selector counts in VMX non-root",
    on: (cell) => (w) => w.hw.mode === 1 && (gpCounting(w.hw, cell.env.hw) & w.hw.evtselGuest) !== 0,
  },
  {
    id: "mediated-guest-pmi",
    title: "mediated vPMU: a PMI reached kvm_handle_guest_mediated_pmi (vector 0xf5, KVM_REQ_PMI)",
    on: () => (w) => w.kvm.pmiRequests > 0,
  },
  {
    id: "mediated-host-pmi-handled",
    title: "mediated vPMU: the host's NMI handler sampled a host event after the guest had run",
    on: (cell) => {
      const host = eventsWhere(cell, (e) => !e.excludeHost);
      return (w) => w.kvm.roundTrips > 0 && host.some((i) => (w.perf.evInterrupts[i] ?? 0) !== 0);
    },
  },
  {
    id: "mediated-pmu-put",
    title: "mediated vPMU: kvm_mediated_pmu_put gave the PMU back (IRQs on, host events scheduled in)",
    on: (cell) => (w) =>
      cell.machine.isIrqsOn(w) && w.kvm.roundTrips + w.kvm.failedEntry > 0 && w.perf.guestCtxLoaded === 0,
  },
  {
    id: "failed-entry",
    title: "a VMRESUME failed (VMfail)",
    on: () => (w) => w.kvm.failedEntry === 1,
  },
  {
    id: "round-trip",
    title: "a VM round trip completed",
    on: () => (w) => w.kvm.roundTrips > 0,
  },
];

export function guardProperty(g: Guard, cell: Cell): Property<World> {
  return { id: `guard:${g.id}`, kind: "sometimes", holds: g.on(cell) };
}
