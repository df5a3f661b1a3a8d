import type { KvmPmuPebs, PerfEnv } from "@switchlab/perf";
import type { Vmx } from "./vmx/vmx.js";

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
}

/** The KVM services as one ops table. */
export interface KvmKernel {
  readonly vmx: Vmx;
}

export interface KvmEnv extends PerfEnv {
  readonly kvm: KvmConfig;
  readonly kk: KvmKernel;
}
