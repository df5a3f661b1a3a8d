import { type Cell, mediatedPmuOf, type Scenario } from "@switchlab/model";

/** One TEST_REQUIRE of a selftest, with what it stands for. */
export interface Requirement {
  /** The C expression (TEST_REQUIRE(expr)). */
  readonly expr: string;
  readonly why: string;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** The GP counters a scenario's set-up uses: its initial placements, activities and overflows. */
export function countersUsed(sc: Scenario): number {
  const all = [
    ...sc.initial.map((x) => x.counter),
    ...sc.activities.flatMap((a) => a.add.map((x) => x.counter)),
    ...sc.overflows.counters,
  ];
  return Math.max(0, ...all) + 1;
}

/**
 * What the selftest needs of the host, from the row's profile and scenario: an Intel CPU with
 * KVM's vPMU, the PMU version and counters of the profile, PEBS when a host PEBS event takes
 * part, the CPU signature and microcode the profile derives pebs_no_isolation from, and the
 * mediated vPMU's module parameter for mediated rows.
 */
export function requirementsOf(cell: Pick<Cell, "profile" | "scenario">): Requirement[] {
  const { profile: p, scenario: sc } = cell;
  const out: Requirement[] = [
    { expr: "host_cpu_is_intel", why: "the modelled code is Intel's (intel_guest_get_msrs, VMX)" },
    { expr: "kvm_is_pmu_enabled()", why: "kvm.enable_pmu: the vCPU has a PMU" },
    {
      expr: `kvm_cpu_property(X86_PROPERTY_PMU_VERSION) >= ${p.pmuVersion}`,
      why: `architectural PMU version ${p.pmuVersion} (profile ${p.id})`,
    },
    {
      expr: `kvm_cpu_property(X86_PROPERTY_PMU_NR_GP_COUNTERS) >= ${countersUsed(sc)}`,
      why: `the scenario uses GP counters 0..${countersUsed(sc) - 1}`,
    },
  ];
  if (sc.events.some((e) => e.precise))
    out.push(
      { expr: "this_cpu_has(X86_FEATURE_DS)", why: "a host PEBS event: the CPU has a debug store" },
      {
        expr: "!(host_msr_read(HOST_CPU, MSR_IA32_MISC_ENABLE) & MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL)",
        why: "a host PEBS event: PEBS available (IA32_MISC_ENABLE.PEBS_UNAVAILABLE clear)",
      },
    );
  out.push(
    {
      expr: `this_cpu_family() == ${p.family} && this_cpu_model() == ${hex(p.model)} && (this_cpu_fms() & 0xf) == ${p.stepping}`,
      why: `the CPU of profile ${p.id}: family ${p.family}, model ${hex(p.model)}, stepping ${p.stepping}`,
    },
    p.pebsNoIsolation
      ? {
          expr: `host_microcode() <= ${hex(p.microcode)}`,
          why: `pebs_no_isolation = 1: microcode at most ${hex(p.microcode)}, below isolation_ucodes' minimum for this stepping`,
        }
      : {
          expr: `host_microcode() >= ${hex(p.microcode)}`,
          why: `pebs_no_isolation = 0: microcode at least ${hex(p.microcode)} (PEBS isolation)`,
        },
  );
  if (mediatedPmuOf(sc))
    out.push({
      expr: 'access("/sys/module/kvm/parameters/enable_mediated_pmu", R_OK) == 0 && get_kvm_param_bool("enable_mediated_pmu")',
      why: "the mediated vPMU: kvm.enable_mediated_pmu=1 (7.0 and later)",
    });
  return out;
}
