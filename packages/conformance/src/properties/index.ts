import type { Property } from "@switchlab/explorer";
import { gpCounting, lowMask } from "@switchlab/hardware";
import { LIST_FULL_KILLS_VM_FROM } from "@switchlab/kvm";
import { type Cell, hostPebsFresh, mediatedPmuOf, staleBits, stalePerfMsrs, type World } from "@switchlab/model";
import { kernelAtLeast } from "@switchlab/perf";

/**
 * A conformance property: what must hold under every interleaving, with the symptom a kernel
 * developer would see when it does not. `applies` says whether it means anything on a cell
 * (otherwise the cell is `not-applicable`).
 */
export interface ConformanceProperty {
  readonly id: string;
  readonly title: string;
  readonly symptom: string;
  applies?(cell: Cell): boolean;
  /** Where it applies, for the `not-applicable` cells' message. */
  readonly appliesTo?: string;
  toExplorer(cell: Cell): Property<World>;
}

const always = (id: string, holds: (w: World) => boolean): Property<World> => ({ id, kind: "always", holds });

/** The property is about the mediated vPMU: it means something only on a cell that runs it. */
const mediated = (cell: Cell) => mediatedPmuOf(cell.scenario) !== undefined;

export const PROPERTIES: readonly ConformanceProperty[] = [
  {
    id: "no-guest-pf-on-host-ds",
    title: "no PEBS assist reads the host debug store from the guest",
    symptom: "guest page fault at DS_AREA + 0x38 (a guest oops at a host address ending in ...038)",
    toExplorer: () => always("no-guest-pf-on-host-ds", (w) => w.hw.guestPf === 0),
  },
  {
    id: "no-unknown-nmi",
    title: "every NMI is claimed or swallowed",
    symptom: "Uhhuh. NMI received for unknown reason XX on CPU N.",
    toExplorer: () => always("no-unknown-nmi", (w) => w.perf.unknownNmis === 0),
  },
  {
    id: "no-late-second-nmi",
    title:
      "when one NMI handles two PMIs, the second PMI's NMI comes back to back and is swallowed (nmi.c's swallow_nmi)",
    symptom:
      "Uhhuh. NMI received for unknown reason XX on CPU N., for a PMI the previous NMI already handled (independent of the MSR switch)",
    toExplorer: () => always("no-late-second-nmi", (w) => w.perf.lateSecondNmi === 0),
  },
  {
    id: "host-pebs-enable-fresh",
    title:
      "once IRQs are back on after a VM-exit, with the PMU enabled, PEBS_ENABLE equals cpuc->pebs_enabled (host counters)",
    symptom: "PEBS_ENABLE holds a bit perf cleared (or lacks one it set) after the VM-exit",
    toExplorer: (cell) =>
      always(
        "host-pebs-enable-fresh",
        (w) => !(cell.machine.isIrqsOn(w) && w.kvm.roundTrips > 0 && w.perf.enabled === 1) || hostPebsFresh(w),
      ),
  },
  {
    id: "host-perf-msrs-fresh",
    title:
      "once IRQs are back on after a VM-exit, with the PMU enabled, every other MSR perf hands KVM has perf's host value: GLOBAL_CTRL = intel_ctrl & ~intel_ctrl_guest_mask, DS_AREA = the host debug store, PEBS_DATA_CFG = cpuc->active_pebs_data_cfg",
    symptom:
      "a stale snapshot restored at VM-exit: host GLOBAL_CTRL enables a counter perf gave the guest since (or lacks one perf gave back), or DS_AREA / PEBS_DATA_CFG are not the host's",
    toExplorer: (cell) => {
      const { intelCtrl, pebsBaseline } = cell.env.pmu;
      return always(
        "host-perf-msrs-fresh",
        (w) =>
          !(cell.machine.isIrqsOn(w) && w.kvm.roundTrips > 0 && w.perf.enabled === 1) ||
          stalePerfMsrs(w, intelCtrl, pebsBaseline).length === 0,
      );
    },
  },
  {
    id: "stale-bit-bounded",
    title: "a stale PEBS_ENABLE bit clears within the scenario's bound of round trips",
    symptom: "a PEBS_ENABLE bit perf no longer has survives N VM round trips",
    toExplorer: (cell) => ({
      id: "stale-bit-bounded",
      kind: "persistence",
      condition: (w) => staleBits(w) !== 0,
      progress: (a, b) => b.kvm.roundTrips > a.kvm.roundTrips,
      bound: cell.scenario.staleBound,
    }),
  },
  {
    id: "no-pebs-with-int",
    title: "no enabled counter has both its PEBS_ENABLE bit and EVTSEL.INT",
    symptom: "one overflow raises two PMIs (PEBS threshold and counter overflow)",
    toExplorer: () => always("no-pebs-with-int", (w) => (w.hw.pebsEnable & w.hw.evtselInt & w.hw.evtselEn) === 0),
  },
  {
    id: "no-host-pebs-in-guest",
    title: "on CPUs without PEBS isolation, no PEBS_ENABLE bit is live in VMX non-root",
    symptom: "host PEBS records can overshoot VM-entry into guest memory, or fault through the guest's page tables",
    applies: (cell) => cell.profile.pebsNoIsolation,
    appliesTo: "CPUs without PEBS isolation",
    toExplorer: () => always("no-host-pebs-in-guest", (w) => w.hw.mode === 0 || w.hw.pebsEnable === 0),
  },
  {
    id: "switch-lists-fit",
    title: "every MSR perf asks KVM to switch is switched (v5.11, v6.16: a full list is a warning)",
    symptom: "Not enough msr switch entries. Can't add msr XXX (and the MSR is silently not switched)",
    applies: (cell) => !kernelAtLeast(cell.scenario.kernel, LIST_FULL_KILLS_VM_FROM),
    appliesTo: "v5.11 and v6.16 (v7.3: vm-not-killed)",
    toExplorer: () => always("switch-lists-fit", (w) => w.kvm.unswitched === 0),
  },
  {
    id: "vm-not-killed",
    title: "KVM never kills the VM over an MSR perf asks it to switch (v7.3: a full list is KVM_BUG_ON)",
    symptom: "WARNING ... vmx_add_auto_msr (KVM_BUG_ON): the VM is dead, KVM_RUN returns -EIO",
    applies: (cell) => kernelAtLeast(cell.scenario.kernel, LIST_FULL_KILLS_VM_FROM),
    appliesTo: "v7.3 (before: switch-lists-fit)",
    toExplorer: () => always("vm-not-killed", (w) => w.kvm.vmDead === 0),
  },
  {
    id: "mediated-host-quiet-in-guest",
    title: "mediated vPMU: no counter holding a host event's selector counts while the guest runs (VMX non-root)",
    symptom: "a host event counts guest execution (host samples taken against guest code)",
    applies: mediated,
    appliesTo: "rows with the mediated vPMU",
    toExplorer: (cell) =>
      always(
        "mediated-host-quiet-in-guest",
        (w) => w.hw.mode === 0 || (gpCounting(w.hw, cell.env.hw) & ~w.hw.evtselGuest) === 0,
      ),
  },
  {
    id: "mediated-guest-counts-only-guest",
    title: "mediated vPMU: no counter holding the guest's selector counts in VMX root (host code)",
    symptom:
      "the guest's counters count host instructions between kvm_pmu_load_guest_pmcs and VM-entry (or after the exit)",
    applies: mediated,
    appliesTo: "rows with the mediated vPMU",
    toExplorer: (cell) =>
      always(
        "mediated-guest-counts-only-guest",
        (w) => w.hw.mode === 1 || (gpCounting(w.hw, cell.env.hw) & w.hw.evtselGuest) === 0,
      ),
  },
  {
    id: "mediated-guest-state-restored",
    title:
      "mediated vPMU: pmu->global_ctrl stays the guest's GLOBAL_CTRL across every exit, and in VMX non-root GLOBAL_CTRL and every selector are the guest's",
    symptom:
      "the guest's GLOBAL_CTRL or event selectors are not what the guest programmed after a VM-exit and re-entry",
    applies: mediated,
    appliesTo: "rows with the mediated vPMU",
    toExplorer: (cell) => {
      const want = mediatedPmuOf(cell.scenario)?.counters ?? 0;
      const all = lowMask(cell.env.hw.numGp);
      return always(
        "mediated-guest-state-restored",
        (w) =>
          w.kvm.pmuGlobalCtrl === want &&
          (w.hw.mode === 0 ||
            (w.hw.globalCtrl === want && (w.hw.evtselEn & all) === want && (w.hw.evtselGuest & all) === all)),
      );
    },
  },
  {
    id: "mediated-guest-pmi-to-guest",
    title: "mediated vPMU: no PMI a guest counter raised is delivered to the host as an NMI",
    symptom: "Uhhuh. NMI received for unknown reason (the host's handler finds nothing), and the guest's PMI is lost",
    applies: mediated,
    appliesTo: "rows with the mediated vPMU",
    toExplorer: () => always("mediated-guest-pmi-to-guest", (w) => w.hw.guestPmiAsNmi === 0),
  },
  {
    id: "mediated-host-pmi-to-host",
    title:
      "mediated vPMU: no host counter's PMI reaches the guest's vector 0xf5, and no host overflow is still pending when KVM loads the guest's GLOBAL_STATUS",
    symptom: "a host sample lost (its PMI injected into the guest, or its overflow bit overwritten)",
    applies: mediated,
    appliesTo: "rows with the mediated vPMU",
    toExplorer: () =>
      always("mediated-host-pmi-to-host", (w) => w.kvm.hostPmiToGuest === 0 && w.kvm.hostOverflowLost === 0),
  },
  {
    id: "mediated-pmu-returned-clean",
    title:
      "mediated vPMU: once IRQs are back on after kvm_mediated_pmu_put, no counter holds a guest value, LVTPC is perf's NMI entry, and no selector is enabled without a host event on it",
    symptom:
      "host perf takes the PMU back with a guest counter still enabled (it counts host code and may raise PMIs nobody owns)",
    applies: mediated,
    appliesTo: "rows with the mediated vPMU",
    toExplorer: (cell) =>
      always(
        "mediated-pmu-returned-clean",
        (w) =>
          !cell.machine.isIrqsOn(w) ||
          (w.hw.evtselGuest === 0 && w.hw.lvtpcVector === 0 && (w.hw.evtselEn & ~w.perf.activeMask) === 0),
      ),
  },
];
