import { type KvmEnv, type KvmWorld, RUN_LOOP, STEP, VMX, Vmx } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { INTEL_DS, IntelDs, type PerfEnv, type PerfWorld } from "@switchlab/perf";
import { definePolicy } from "@switchlab/policy-api";
import { injectable } from "tsyringe";

/** ext[0]: perf's PEBS generation count; ext[1]: the generation KVM saw at perf_guest_get_msrs. */
const GEN = 0;
const SEEN = 1;
/** The generation wraps: a small counter keeps the state finite (it moves at most a few times per round trip). */
const GEN_MOD = 8;

function bump(w: PerfWorld): void {
  const x = (w as World).ext;
  x[GEN] = ((x[GEN] ?? 0) + 1) % GEN_MOD;
}

/** perf bumps a generation count whenever cpuc->pebs_enabled changes (intel_pmu_pebs_enable/_disable). */
@injectable()
export class IntelDsGeneration extends IntelDs {
  override intelPmuPebsEnable(w: PerfWorld, env: PerfEnv, e: number): void {
    const before = w.perf.pebsEnabled;
    super.intelPmuPebsEnable(w, env, e);
    if (w.perf.pebsEnabled !== before) bump(w);
  }

  override intelPmuPebsDisable(w: PerfWorld, env: PerfEnv, e: number): void {
    const before = w.perf.pebsEnabled;
    super.intelPmuPebsDisable(w, env, e);
    if (w.perf.pebsEnabled !== before) bump(w);
  }
}

/** KVM records the generation together with perf_guest_get_msrs' snapshot. */
@injectable()
export class VmxGeneration extends Vmx {
  override perfGuestGetMsrs(w: KvmWorld, env: KvmEnv): void {
    super.perfGuestGetMsrs(w, env);
    const x = (w as World).ext;
    x[SEEN] = x[GEN] ?? 0;
  }
}

export default definePolicy<World, ModelEnv>({
  id: "reread-after-nmi-generation",
  title: "KVM rechecks a perf generation count right before VM-entry",
  summary:
    "perf counts changes of cpuc->pebs_enabled; KVM saves the count with the snapshot and, right before vmx_vcpu_enter_exit with IRQs off, re-runs atomic_switch_perf_msrs if it moved.",
  upstream: {
    cite: "Variant (1) of the reread-after-NMI idea in the 2021 thread 'Trouble with perf_guest_get_msrs() and pebs_no_isolation'",
    url: "https://lore.kernel.org/kvm/20210209225653.1393771-1-jmattson@google.com/",
  },
  touches: ["intel_pmu_pebs_enable", "intel_pmu_pebs_disable", "atomic_switch_perf_msrs", "vmx_vcpu_run"],
  stateSlots: 2,
  register: (c) => {
    c.register(INTEL_DS, { useClass: IntelDsGeneration });
    c.register(VMX, { useClass: VmxGeneration });
  },
  patch: (ed) => {
    // As late as C code in vmx_vcpu_run can run: just before vmx_vcpu_enter_exit, with IRQs off.
    ed.insertBefore(RUN_LOOP, STEP.enterIrqoff, {
      id: "vmx_vcpu_run:recheck-perf-generation",
      fn: "vmx_vcpu_run",
      file: "arch/x86/kvm/vmx/vmx.c",
      version: "patch on v5.11",
      // Load the count, compare, branch (an estimate from the patch's C).
      insns: 6,
      run: (w, env) => {
        if (w.ext[GEN] !== w.ext[SEEN]) {
          env.obs.call("vmx_vcpu_run", "perf generation moved since perf_guest_get_msrs: switch again");
          return STEP.getMsrs;
        }
        return undefined;
      },
    });
  },
});
