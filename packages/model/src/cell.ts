import {
  DS_HOST,
  ENTRY_LOAD_GLOBAL_CTRL,
  EXIT_LOAD_GLOBAL_CTRL,
  EXIT_SAVE_GLOBAL_CTRL,
  type HardwareProfile,
  hwConfigOf,
  listPut,
  MSR_IA32_DS_AREA,
  MSR_OTHER_BASE,
  resetHw,
  wrmsr,
} from "@switchlab/hardware";
import { EXIT_NONE, registerKvm, resolveKvmKernel, runLoopSequence } from "@switchlab/kvm";
import {
  type KernelObserver,
  kernelHas,
  NULL_KERNEL_OBSERVER,
  registerPerf,
  resetPerf,
  resolvePerfKernel,
  type SchedMove,
  schedSequence,
  tickSequence,
  x86PmuOf,
} from "@switchlab/perf";
import { type Sequence, SequenceEditor, type SwitchPolicy } from "@switchlab/policy-api";
import { type DependencyContainer, container as globalContainer } from "tsyringe";
import { GUEST_WRITES } from "./assumptions/guest-writes.js";
import { MASKED_PMI } from "./assumptions/masked-pmi.js";
import { OTHER_NMIS } from "./assumptions/other-nmis.js";
import type { ModelEnv } from "./env.js";
import { deepFreeze } from "./freeze.js";
import { Machine } from "./machine.js";
import { reachRecorder, recordingSequences, recordingServices } from "./reach.js";
import { eventIndex, type Scenario } from "./scenario.js";
import { createWorld, MAX_STATE_SLOTS, type World } from "./world.js";

export type Policy = SwitchPolicy<World, ModelEnv>;

/** A root container with upstream perf and KVM registered: the defaults every cell starts from. */
export function createRootContainer(): DependencyContainer {
  const c = globalContainer.createChildContainer();
  registerPerf(c);
  registerKvm(c);
  return c;
}

/** One (policy, profile, scenario): its container, environment, machine and initial world. */
export interface Cell {
  readonly policy: Policy;
  readonly profile: HardwareProfile;
  readonly scenario: Scenario;
  readonly env: ModelEnv;
  readonly machine: Machine;
  readonly initial: World;
  /** The sequence edits the policy made (for show-policy). */
  readonly edits: SequenceEditor<World, ModelEnv>["edits"];
}

/** The mediated vPMU runs in this cell: kvm.enable_mediated_pmu, a vCPU PMU, a kernel that has it (7.0 on; the model's v7.3). */
export function mediatedPmuOf(scenario: Scenario): { readonly counters: number } | undefined {
  return scenario.kvm?.enableMediatedPmu && scenario.vcpu.hasPmu && kernelHas(scenario.kernel, "mediated-vpmu")
    ? { counters: scenario.vcpu.guestCounters ?? 0 }
    : undefined;
}

/** The events the scheduling activity running now moves, by index (its names resolved in the scenario). */
function moveOf(w: World, env: ModelEnv): SchedMove {
  const a = env.scenario.activities[w.host.act - 2];
  if (!a) throw new Error(`no scheduling activity ${w.host.act - 2}`);
  return {
    remove: a.remove.map((n) => eventIndex(env.scenario, n)),
    add: a.add.map((x) => ({ event: eventIndex(env.scenario, x.event), counter: x.counter })),
  };
}

/**
 * The step sequences a cell runs before any policy patches them: the run loop of the scenario's
 * kernel (the mediated vPMU's when it runs), the tick and perf's scheduling. Each step is frozen:
 * a patch replaces steps through the editor, never changes one in place (policy-changes.ts
 * compares a policy's sequences with these by identity).
 */
export function baseSequences(scenario: Scenario): Sequence<World, ModelEnv>[] {
  const mediated = mediatedPmuOf(scenario);
  const hostEvents = mediated
    ? scenario.initial.map((i) => ({ event: eventIndex(scenario, i.event), counter: i.counter }))
    : undefined;
  // What the steps depend on: the kernel and, on the mediated vPMU, the host events it moves.
  const key = JSON.stringify([scenario.kernel, hostEvents ?? null]);
  let seqs = BASE.get(key);
  if (!seqs) {
    seqs = [
      runLoopSequence(scenario.kernel, hostEvents ? { mediated: { hostEvents } } : {}),
      tickSequence<World, ModelEnv>(),
      schedSequence<World, ModelEnv>(moveOf),
    ];
    // Frozen with their functions: cells of every policy a worker runs share them.
    for (const q of seqs)
      for (const st of q.steps) {
        for (const f of [st.run, st.insns, st.label]) if (typeof f === "function") Object.freeze(f);
        Object.freeze(st);
      }
    BASE.set(key, seqs);
  }
  // The steps are shared (frozen); each caller gets its own lists of them.
  return seqs.map((q) => ({ id: q.id, title: q.title, steps: [...q.steps] }));
}

/**
 * The base sequences built so far, by kernel and host events. Cells share their steps rather
 * than building closures per cell: V8 optimizes a closure per function object, so steps built
 * for every cell were compiled again and again.
 */
const BASE = new Map<string, Sequence<World, ModelEnv>[]>();

/**
 * A profile field the cell reads when a row first uses it, not when the cell is built: the row
 * cache keys a row by the profile fields its exploration read (cli/src/cache/rows.ts), so a field
 * only some rows use (VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL: only the mediated vPMU's exits read it)
 * does not tell apart, on the other rows, profiles that differ in it alone. The getter is
 * enumerable (a copy of the object reads it, and notes it); deepFreeze never calls it.
 */
function withLazy<K extends keyof HardwareProfile, T extends object>(
  profile: HardwareProfile,
  field: K,
  o: T,
): T & Pick<HardwareProfile, K> {
  let known = false;
  let value: HardwareProfile[K];
  Object.defineProperty(o, field, {
    enumerable: true,
    get: () => {
      if (!known) {
        value = profile[field];
        known = true;
      }
      return value;
    },
  });
  return o as T & Pick<HardwareProfile, K>;
}

/**
 * Build a cell: a child container in which the policy's registrations override the defaults,
 * the policy's patch applied to the step sequences, and the world at the start of the run.
 */
export function buildCell(
  root: DependencyContainer,
  policy: Policy,
  profile: HardwareProfile,
  scenario: Scenario,
  obs: KernelObserver = NULL_KERNEL_OBSERVER,
): Cell {
  // What this cell shares with others is read-only from here on (freeze.ts).
  deepFreeze(scenario);
  deepFreeze(profile);
  const child = root.createChildContainer();
  policy.register?.(child);
  const editor = new SequenceEditor<World, ModelEnv>(baseSequences(scenario));
  policy.patch?.(editor);
  const compiled = editor.compile();
  const reach = reachRecorder();
  // A row that records its reach (reach.ts) runs its steps and services through recording wrappers.
  const seqs = reach ? recordingSequences(compiled, reach) : compiled;
  const kk = resolveKvmKernel(child);
  const mediated = mediatedPmuOf(scenario);
  const env: ModelEnv = {
    hw: hwConfigOf(
      profile,
      {
        pebsThresholdRecords: scenario.ds?.thresholdRecords ?? 1,
        pebsMaxRecords: scenario.ds?.maxRecords ?? 2,
      },
      MASKED_PMI.read(scenario) === "drop",
    ),
    pmu: x86PmuOf(profile),
    perf: {
      kernel: scenario.kernel,
      maxSamplesPerTick: scenario.maxSamplesPerTick,
      events: scenario.events,
      cpu: profile.cpu,
      nmiReason: profile.nmiReason,
    },
    kvm: withLazy(profile, "savePerfGlobalCtrl", {
      vcpuHasPmu: scenario.vcpu.hasPmu,
      kvmPmu: kernelHas(scenario.kernel, "kvm-pmu-arg")
        ? (scenario.vcpu.kvmPmu ?? { pebsEnable: 0, dsArea: 0, pebsDataCfg: 0, hostCrossMappedMask: 0 })
        : null,
      loadPerfGlobalCtrl: profile.loadPerfGlobalCtrl,
      listCapacity: profile.listCapacity,
      maxRoundTrips: scenario.maxRoundTrips,
      ...(mediated ? { mediated } : {}),
    }),
    obs,
    k: resolvePerfKernel(child),
    kk,
    guest: {
      vcpuLoaded: (w) => kk.vmx.vcpuLoaded(w as World),
      setExitListValue: (w, e, msr, v) => kk.vmx.setExitListValue(w as World, e as ModelEnv, msr, v),
    },
    profile,
    scenario,
    stateSlots: policy.stateSlots ?? 0,
    seq: {
      runLoop: seqs.get("vcpu_run")!,
      tick: seqs.get("perf_tick")!,
      sched: seqs.get("perf_sched")!,
    },
  };
  if (reach) {
    recordingServices(env.k, reach);
    recordingServices(env.kk, reach);
  }
  // The environment is the cell's own, but a policy has no business writing it either: its
  // configuration, its step sequences and the kernel's services (stateless: state is the world's).
  for (const part of [env.hw, env.pmu, env.perf, env.kvm, env.guest, env.seq, env.k, env.kk]) deepFreeze(part);
  for (const service of [...Object.values(env.k), ...Object.values(env.kk)]) Object.freeze(service);
  Object.freeze(env);
  const machine = new Machine(env);
  const initial = initialWorld(env, policy.stateSlots ?? 0);
  return { policy, profile, scenario, env, machine, initial, edits: editor.edits };
}

/**
 * The world at the start of a run: the host debug store in DS_AREA (init_debug_store_on_cpu),
 * the other MSRs KVM switches already on both lists, and the scenario's initial events added
 * and started through perf's own paths (x86_pmu_add, then x86_pmu_enable).
 */
export function initialWorld(env: ModelEnv, stateSlots = 0): World {
  const sc = env.scenario;
  if (stateSlots > MAX_STATE_SLOTS) throw new RangeError(`a policy may add at most ${MAX_STATE_SLOTS} state slots`);
  const w = createWorld();
  resetHw(w.hw);
  resetPerf(w.perf, sc.events.length);
  w.budget.overflows = sc.overflows.budget;
  w.budget.nmis = sc.nmiBudget;
  w.budget.ticks = sc.tickBudget;
  w.budget.otherNmis = OTHER_NMIS.read(sc);
  w.kvm.loaded = 1;
  // No VM-exit yet (the field's lowest values are its forgotten ones, so zero words are not this).
  w.kvm.exitReason = EXIT_NONE;
  const boot: ModelEnv = { ...env, obs: NULL_KERNEL_OBSERVER };
  wrmsr(w.hw, MSR_IA32_DS_AREA, DS_HOST, boot.obs);
  for (let i = 0; i < sc.otherMsrs; i++) {
    listPut(w.hw.entryList, MSR_OTHER_BASE + i, 1, env.kvm.listCapacity);
    listPut(w.hw.exitList, MSR_OTHER_BASE + i, 0, env.kvm.listCapacity);
  }
  // The mediated vPMU's VMCS set-up (vmx_recalc_pmu_msr_intercepts, 7.1.5 vmx.c l.4198-4252;
  // vmx_set_constant_host_state l.4506-4513): GUEST_IA32_PERF_GLOBAL_CTRL loaded at every
  // entry, HOST_IA32_PERF_GLOBAL_CTRL = 0 at every exit, the guest's value saved at exit by the
  // VM_EXIT_SAVE control or, without it, in the MSR-store list; the guest programmed its counters.
  const med = env.kvm.mediated;
  if (med) {
    w.hw.globalCtrlLoadControls =
      ENTRY_LOAD_GLOBAL_CTRL | EXIT_LOAD_GLOBAL_CTRL | (env.kvm.savePerfGlobalCtrl ? EXIT_SAVE_GLOBAL_CTRL : 0);
    w.hw.guestGlobalCtrlField = med.counters;
    w.hw.hostGlobalCtrlField = 0;
    w.hw.autostoreGlobalCtrl = env.kvm.savePerfGlobalCtrl ? 0 : 1;
    w.kvm.pmuGlobalCtrl = med.counters;
    w.kvm.pmuCountersArmed = med.counters;
    // The guest's own record starts as it programmed its counters (guest.ts); it writes within its budget.
    w.guest.ctrl = med.counters;
    w.guest.armed = med.counters;
    w.budget.guestWrites = GUEST_WRITES.read(sc);
  }
  boot.k.x86.x86PmuDisable(w, boot);
  for (const i of sc.initial) boot.k.x86.x86PmuAdd(w, boot, eventIndex(sc, i.event), i.counter);
  boot.k.x86.x86PmuEnable(w, boot);
  for (const i of sc.initial)
    if (i.interrupts !== undefined) w.perf.evInterrupts[eventIndex(sc, i.event)] = i.interrupts;
  return w;
}
