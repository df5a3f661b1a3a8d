import type { KvmPmuPebs, PerfEnv } from "@switchlab/perf";
import type { KvmKernel } from "./services.js";

/** The vCPU and host KVM configuration a scenario chooses. */
export interface KvmConfig {
  /** The vCPU has a virtual PMU (CPUID.0AH version > 0). Upstream ignores it; vpmu-only does not. */
  readonly vcpuHasPmu: boolean;
  /** The vCPU's guest-PEBS state handed to perf in v6.16 (kvm_pmu fields), or null. */
  readonly kvmPmu: KvmPmuPebs | null;
  /** cpu_has_load_perf_global_ctrl(): GLOBAL_CTRL through the dedicated VMCS fields. */
  readonly loadPerfGlobalCtrl: boolean;
  /** MAX_NR_LOADSTORE_MSRS (8). */
  readonly listCapacity: number;
  /** VM round trips before the vCPU stops (the run loop's bound). */
  readonly maxRoundTrips: number;
  /**
   * kvm.enable_mediated_pmu (7.1.5 x86.c l.190) with a vCPU PMU: KVM context-switches the PMU
   * itself (kvm_mediated_pmu_load/_put), and the guest's GP counters are these (their EVTSEL has
   * EN and INT; GLOBAL_CTRL enables them). Undefined: the perf-MSR-list path.
   */
  readonly mediated?: { readonly counters: number };
  /** cpu_has_save_perf_global_ctrl() (VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL). */
  readonly savePerfGlobalCtrl: boolean;
}

export interface KvmEnv extends PerfEnv {
  readonly kvm: KvmConfig;
  readonly kk: KvmKernel;
}
