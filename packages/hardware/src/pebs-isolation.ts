/**
 * x86_pmu.pebs_no_isolation, derived the way the kernel derives it (v5.11):
 * 1. intel_ds_init (arch/x86/events/intel/ds.c): `if (x86_pmu.version <= 4) pebs_no_isolation = 1`;
 *    PMU version 5 and later (Ice Lake onwards) keep 0: isolation in hardware.
 * 2. intel_pmu_init (arch/x86/events/intel/core.c) adds intel_pebs_isolation_quirk for the
 *    Haswell..Comet Lake models below; the quirk runs intel_check_pebs_isolation, which sets
 *    `pebs_no_isolation = !x86_cpu_has_min_microcode_rev(isolation_ucodes)`: a model/stepping
 *    pair missing from the table, or an older microcode, means no isolation.
 * v6.16 has the same logic (intel_pebs_init, x86_match_min_microcode_rev) and a longer table: the
 * Cascade Lake steppings 5-7 of model 0x55 were added for 5.12 (and 5.10.y/5.11.y stable). The
 * built-in no-isolation profile therefore uses a CPU outside both tables.
 */

/** One row of isolation_ucodes: INTEL_CPU_DESC(model, stepping, minimum microcode). */
export interface IsolationUcode {
  readonly name: string;
  readonly model: number;
  readonly stepping: number;
  readonly microcode: number;
}

/** isolation_ucodes[] (arch/x86/events/intel/core.c, v5.11; unchanged through v6.16). */
export const ISOLATION_UCODES: readonly IsolationUcode[] = [
  { name: "HASWELL", model: 0x3c, stepping: 3, microcode: 0x0000001f },
  { name: "HASWELL_L", model: 0x45, stepping: 1, microcode: 0x0000001e },
  { name: "HASWELL_G", model: 0x46, stepping: 1, microcode: 0x00000015 },
  { name: "HASWELL_X", model: 0x3f, stepping: 2, microcode: 0x00000037 },
  { name: "HASWELL_X", model: 0x3f, stepping: 4, microcode: 0x0000000a },
  { name: "BROADWELL", model: 0x3d, stepping: 4, microcode: 0x00000023 },
  { name: "BROADWELL_G", model: 0x47, stepping: 1, microcode: 0x00000014 },
  { name: "BROADWELL_D", model: 0x56, stepping: 2, microcode: 0x00000010 },
  { name: "BROADWELL_D", model: 0x56, stepping: 3, microcode: 0x07000009 },
  { name: "BROADWELL_D", model: 0x56, stepping: 4, microcode: 0x0f000009 },
  { name: "BROADWELL_D", model: 0x56, stepping: 5, microcode: 0x0e000002 },
  { name: "BROADWELL_X", model: 0x4f, stepping: 2, microcode: 0x0b000014 },
  { name: "SKYLAKE_X", model: 0x55, stepping: 3, microcode: 0x00000021 },
  { name: "SKYLAKE_X", model: 0x55, stepping: 4, microcode: 0x00000000 },
  { name: "SKYLAKE_L", model: 0x4e, stepping: 3, microcode: 0x0000007c },
  { name: "SKYLAKE", model: 0x5e, stepping: 3, microcode: 0x0000007c },
  { name: "KABYLAKE", model: 0x9e, stepping: 9, microcode: 0x0000004e },
  { name: "KABYLAKE_L", model: 0x8e, stepping: 9, microcode: 0x0000004e },
  { name: "KABYLAKE_L", model: 0x8e, stepping: 10, microcode: 0x0000004e },
  { name: "KABYLAKE_L", model: 0x8e, stepping: 11, microcode: 0x0000004e },
  { name: "KABYLAKE_L", model: 0x8e, stepping: 12, microcode: 0x0000004e },
  { name: "KABYLAKE", model: 0x9e, stepping: 10, microcode: 0x0000004e },
  { name: "KABYLAKE", model: 0x9e, stepping: 11, microcode: 0x0000004e },
  { name: "KABYLAKE", model: 0x9e, stepping: 12, microcode: 0x0000004e },
  { name: "KABYLAKE", model: 0x9e, stepping: 13, microcode: 0x0000004e },
];

/** Models whose intel_pmu_init case adds intel_pebs_isolation_quirk (Haswell..Comet Lake). */
export const PEBS_ISOLATION_QUIRK_MODELS: ReadonlySet<number> = new Set([
  0x3c, 0x45, 0x46, 0x3f, 0x3d, 0x47, 0x56, 0x4f, 0x55, 0x4e, 0x5e, 0x9e, 0x8e, 0xa5, 0xa6,
]);

/** x86_cpu_has_min_microcode_rev(isolation_ucodes) (arch/x86/kernel/cpu/match.c). */
export function hasMinMicrocodeRev(cpu: { model: number; stepping: number; microcode: number }): boolean {
  const row = ISOLATION_UCODES.find((r) => r.model === cpu.model && r.stepping === cpu.stepping);
  return row !== undefined && cpu.microcode >= row.microcode;
}

/** x86_pmu.pebs_no_isolation for a CPU. */
export function derivePebsNoIsolation(cpu: {
  family: number;
  model: number;
  stepping: number;
  microcode: number;
  pmuVersion: number;
}): boolean {
  // intel_ds_init: the default by PMU version.
  let noIsolation = cpu.pmuVersion <= 4;
  // intel_pebs_isolation_quirk -> intel_check_pebs_isolation, for the listed models.
  if (cpu.family === 6 && PEBS_ISOLATION_QUIRK_MODELS.has(cpu.model)) noIsolation = !hasMinMicrocodeRev(cpu);
  return noIsolation;
}
