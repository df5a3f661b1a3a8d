import "reflect-metadata";
import { lowMask, OWNER_GUEST, PMI_SRC_OVERFLOW } from "@switchlab/hardware";
import { EXIT_EXTINT, STEP } from "@switchlab/kvm";
import { hostOnlySamplingEvent } from "@switchlab/perf";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../scenario.js";
import { replay } from "../trace.js";
import { cloneWorld, type World } from "../world.js";
import { cell, profile, runUntil } from "./helpers.js";

/** A mediated vCPU (kvm.enable_mediated_pmu) on v7.3, a host cycles:H event on counter 0, the guest sampling on counters 0 and 1. */
const MEDIATED: Partial<Scenario> = {
  id: "mediated-unit",
  kernel: "v7.3",
  kvm: { enableMediatedPmu: true },
  events: [hostOnlySamplingEvent("cycles:H")],
  initial: [{ event: "cycles:H", counter: 0 }],
  activities: [],
  overflows: { counters: [0, 1], budget: 1 },
  exits: ["slow", "fastpath"],
  vcpu: { hasPmu: true, guestCounters: 0b11 },
};

describe("kvm_mediated_pmu_load (7.1.5 pmu.c l.1327-1357) up to VM-entry", () => {
  const c = cell(MEDIATED, undefined, profile("emerald-rapids"));
  const inGuest = runUntil(c, c.initial, (w) => c.machine.isGuest(w));

  it("schedules the host's exclude_guest event out and leaves perf's guest context loaded", () => {
    expect(c.initial.perf.evIdx[0]).toBe(0);
    expect(inGuest.perf.evIdx[0]).toBe(-1);
    expect(inGuest.perf.guestCtxLoaded).toBe(1);
  });

  it("switches LVTPC to vector 0xf5 and sets guest_lvtpc_loaded after it", () => {
    expect(inGuest.hw.lvtpcVector).toBe(1);
    expect(inGuest.perf.guestLvtpcLoaded).toBe(1);
  });

  it("loads the guest's selectors into every GP counter, and VM-entry loads the guest's GLOBAL_CTRL", () => {
    expect(inGuest.hw.evtselGuest).toBe(lowMask(c.env.hw.numGp));
    expect(inGuest.hw.evtselEn & lowMask(c.env.hw.numGp)).toBe(0b11);
    expect(inGuest.hw.globalCtrl).toBe(0b11);
  });

  it("atomic_switch_perf_msrs returns at once: nothing is on the MSR-load lists", () => {
    expect(inGuest.hw.entryList.length).toBe(0);
    expect(inGuest.hw.exitList.length).toBe(0);
  });
});

describe("VM-exit and kvm_mediated_pmu_put (pmu.c l.1388-1407)", () => {
  for (const [prof, save] of [
    ["emerald-rapids", true],
    ["sapphire-rapids-no-save", false],
  ] as const) {
    it(`${prof}: the guest's GLOBAL_CTRL is saved at exit (${save ? "VM_EXIT_SAVE control" : "MSR-store list"}), host GLOBAL_CTRL is 0, and refresh reads it back`, () => {
      const c = cell(MEDIATED, undefined, profile(prof));
      const g = runUntil(c, c.initial, (w) => c.machine.isGuest(w));
      const exit = c.machine.actions(g).find((a) => a.kind === "exit")!;
      const after = c.machine.apply(g, exit);
      expect(after.hw.globalCtrl).toBe(0);
      expect(save ? after.hw.guestGlobalCtrlField : after.hw.autostoreGlobalCtrlValue).toBe(0b11);
      const refreshed = runUntil(c, after, (w) => w.kvm.pc === c.env.seq.runLoop.at(STEP.fastpath));
      expect(refreshed.kvm.pmuGlobalCtrl).toBe(0b11);
    });
  }

  it("gives the PMU back clean: no guest values, LVTPC NMI again, the host event back on its counter", () => {
    const c = cell({ ...MEDIATED, exits: ["slow"] }, undefined, profile("emerald-rapids"));
    const g = runUntil(c, c.initial, (w) => c.machine.isGuest(w));
    const on = runUntil(c, c.machine.apply(g, c.machine.actions(g).find((a) => a.kind === "exit")!), (w) =>
      c.machine.isIrqsOn(w),
    );
    expect(on.hw.evtselGuest).toBe(0);
    expect(on.hw.lvtpcVector).toBe(0);
    expect(on.perf.guestLvtpcLoaded).toBe(0);
    expect(on.perf.guestCtxLoaded).toBe(0);
    expect(on.perf.evIdx[0]).toBe(0);
    expect(on.perf.activeMask & 1).toBe(1);
    expect(on.hw.globalCtrl).toBe(c.env.pmu.intelCtrl & ~on.perf.guestMask);
  });
});

describe("PMIs under the mediated vPMU", () => {
  it("perf_event_nmi_handler returns NMI_DONE while guest_lvtpc_loaded (arch/x86/events/core.c l.1806)", () => {
    const c = cell(MEDIATED, undefined, profile("emerald-rapids"));
    const w = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
    expect(c.env.k.x86.perfEventNmiHandler(w, c.env)).toBe(0);
  });

  it("a guest counter's overflow in the guest is delivered as vector 0xf5: an external-interrupt exit, then KVM_REQ_PMI from handle_exit_irqoff", () => {
    const c = cell(MEDIATED, undefined, profile("emerald-rapids"));
    const g = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
    const ov = c.machine.apply(g, c.machine.findAction(g, "overflow1@guest:running")!);
    expect(ov.hw.pmiOwner).toBe(OWNER_GUEST);
    const ext = c.machine.apply(ov, c.machine.findAction(ov, "nmi@guest:running")!);
    expect(ext.hw.nmiLatched).toBe(0);
    expect(ext.kvm.exitReason).toBe(EXIT_EXTINT);
    expect(ext.hw.vpmiIrr).toBe(OWNER_GUEST);
    const done = runUntil(c, ext, (x) => c.machine.isIrqsOn(x));
    expect(done.kvm.pmiRequests).toBe(1);
    expect(done.kvm.hostPmiToGuest).toBe(0);
    expect(done.perf.unknownNmis).toBe(0);
  });

  it("scenario: a guest overflow just before a VM-exit whose PMI arrives after perf_put_guest_lvtpc is an unknown NMI on the host", () => {
    const c = cell(MEDIATED, undefined, profile("emerald-rapids"));
    const g = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
    const steps: string[] = [];
    let w = c.initial;
    while (w !== g && !c.machine.isGuest(w)) {
      const a = c.machine.actions(w).find((x) => x.kind === "step")!;
      steps.push(c.machine.actionName(w, a));
      w = c.machine.apply(w, a);
    }
    const put = [
      "vmx_vcpu_enter_exit:vmx_handle_nmi",
      "vmx_vcpu_run:vmx_refresh_guest_perf_global_control",
      "vmx_vcpu_run:vmx_exit_handlers_fastpath",
      "intel_mediated_pmu_put",
      "kvm_pmu_put_guest_pmcs",
      "perf_put_guest_lvtpc:guest_lvtpc_loaded",
      "perf_put_guest_lvtpc:apic_write",
    ];
    const t = replay(c, [
      ...steps,
      "overflow1@guest:running",
      "vmexit:slow@guest",
      ...put,
      "nmi@perf_put_guest_context:perf_ctx_disable",
    ]);
    expect(t.symptoms.map((s) => s.id)).toContain("unknown-nmi");
    expect(t.final.hw.guestPmiAsNmi).toBe(1);
  });
});

describe("NMIs and vector 0xf5 around perf_load_guest_lvtpc and VM-entry", () => {
  /** Take steps from w, naming each, until stop; at the point named `at`, take `inject` first. */
  function walk(c: ReturnType<typeof cell>, stop: (w: World) => boolean, at: string, inject: string): string[] {
    const names: string[] = [];
    let w = c.initial;
    while (!stop(w)) {
      if (c.machine.point(w) === at && !names.includes(inject)) {
        names.push(inject);
        w = c.machine.apply(w, c.machine.findAction(w, inject)!);
        continue;
      }
      const a = c.machine.actions(w).find((x) => x.kind === "step")!;
      names.push(c.machine.actionName(w, a));
      w = c.machine.apply(w, a);
    }
    return names;
  }

  it("scenario: an NMI between perf_load_guest_lvtpc's apic_write and guest_lvtpc_loaded = true leaves LVTPC in NMI mode; the guest's PMI becomes an unknown NMI", () => {
    const c = cell({ ...MEDIATED, exits: ["slow"] }, undefined, profile("emerald-rapids"));
    const inject = "other-nmi@perf_load_guest_lvtpc:guest_lvtpc_loaded";
    const toGuest = walk(c, (x) => c.machine.isGuest(x), "perf_load_guest_lvtpc:guest_lvtpc_loaded", inject);
    const g = replay(c, toGuest).final;
    // intel_pmu_handle_irq's apic_write(APIC_LVTPC, APIC_DM_NMI) ran after the switch to 0xf5 ...
    expect([g.hw.lvtpcVector, g.hw.lvtpcMasked, g.perf.guestLvtpcLoaded]).toEqual([0, 0, 1]);
    // ... so a guest counter's PMI comes as an NMI (an NMI VM-exit), which perf_event_nmi_handler
    // does not claim while guest_lvtpc_loaded (events/core.c l.1806).
    const t = replay(c, [
      ...toGuest,
      "overflow1@guest:running",
      "nmi@guest:running",
      "vmx_vcpu_enter_exit:vmx_handle_nmi",
    ]);
    expect(t.symptoms.map((s) => s.id)).toContain("unknown-nmi");
    expect(t.final.hw.guestPmiAsNmi).toBe(1);
    expect(t.final.kvm.pmiRequests).toBe(0);
  });

  it("a vector pending in the IRR at VM-entry forces the external-interrupt exit before any guest instruction", () => {
    const c = cell(MEDIATED, undefined, profile("emerald-rapids"));
    const g = cloneWorld(runUntil(c, c.initial, (x) => c.machine.isGuest(x)));
    expect(c.machine.actions(g).map((a) => c.machine.actionName(g, a))).toContain("overflow1@guest:running");
    g.hw.vpmiIrr = OWNER_GUEST;
    const names = c.machine.actions(g).map((a) => c.machine.actionName(g, a));
    expect(names.filter((n) => !n.startsWith("other-nmi@"))).toEqual(["vmexit:extint@guest"]);
    const done = runUntil(c, c.machine.apply(g, c.machine.findAction(g, "vmexit:extint@guest")!), (x) =>
      c.machine.isIrqsOn(x),
    );
    expect(done.kvm.exitReason).toBe(EXIT_EXTINT);
    expect(done.kvm.pmiRequests).toBe(1);
  });
});

describe("--masked-pmi: a PMI raised while LVTPC is masked (SDM Vol. 3A 11.5.1 leaves it open)", () => {
  for (const [mode, pending] of [
    ["hold", PMI_SRC_OVERFLOW],
    ["drop", 0],
  ] as const)
    it(`${mode}: ${pending ? "waits for the unmask" : "is lost"}`, () => {
      const c = cell({ ...MEDIATED, maskedPmi: mode }, undefined, profile("emerald-rapids"));
      expect(c.env.hw.dropMaskedPmi ?? false).toBe(mode === "drop");
      const g = runUntil(c, c.initial, (x) => c.machine.isGuest(x));
      const w = cloneWorld(g);
      w.hw.lvtpcMasked = 1;
      const after = c.machine.apply(w, c.machine.findAction(w, "overflow1@guest:running")!);
      expect(after.hw.pmiPending).toBe(pending);
      expect(after.hw.globalStatus & 0b10).toBe(0b10);
    });
});

describe("VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL is read only where the mediated vPMU runs", () => {
  /** A profile that notes the fields read (as the CLI's worker does for the row cache). */
  const noting = (reads: Set<string>) =>
    new Proxy(profile("sapphire-rapids"), {
      get(t, k, r) {
        if (typeof k === "string") reads.add(k);
        return Reflect.get(t, k, r);
      },
    });

  it("a row without it runs to the guest and back without reading the field", () => {
    const reads = new Set<string>();
    const c = cell({}, undefined, noting(reads));
    const back = runUntil(
      c,
      runUntil(c, c.initial, (w) => c.machine.isGuest(w)),
      (w) => w.kvm.roundTrips > 0,
    );
    expect(back.kvm.roundTrips).toBeGreaterThan(0);
    expect(reads.has("numGp")).toBe(true);
    expect(reads.has("savePerfGlobalCtrl")).toBe(false);
  });

  it("a mediated row reads it when its VMCS is set up, and takes its value", () => {
    const reads = new Set<string>();
    const c = cell(MEDIATED, undefined, noting(reads));
    expect(reads.has("savePerfGlobalCtrl")).toBe(true);
    expect(c.env.kvm.savePerfGlobalCtrl).toBe(true);
    expect(cell(MEDIATED, undefined, profile("sapphire-rapids-no-save")).env.kvm.savePerfGlobalCtrl).toBe(false);
  });
});
