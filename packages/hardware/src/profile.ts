import { z } from "zod";
import type { HwConfig } from "./config.js";
import { MAX_FIXED_COUNTERS, MAX_GP_COUNTERS } from "./msr-index.js";
import { derivePebsNoIsolation } from "./pebs-isolation.js";

/**
 * A hardware profile: the CPU a run models, as data. Everything perf and KVM decide from CPUID,
 * the microcode revision and VMX capabilities is here; `pebsNoIsolation` is not: it is derived
 * from these fields the way the kernel derives it (pebs-isolation.ts).
 */
export const hardwareProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a lower-case id of letters, digits and dashes"),
    title: z.string().min(1),
    /** boot_cpu_data.x86 (family); the modelled PMU code is Intel family 6. */
    family: z.literal(6),
    /** boot_cpu_data.x86_model, e.g. 0x55 for Skylake-X / Cascade Lake. */
    model: z.number().int().min(0).max(0xff),
    /** boot_cpu_data.x86_stepping. */
    stepping: z.number().int().min(0).max(0xf),
    /** boot_cpu_data.microcode: the loaded microcode revision. */
    microcode: z.number().int().min(0).max(0xffffffff),
    /** CPUID.0AH:EAX[7:0], architectural PMU version. */
    pmuVersion: z.number().int().min(2).max(6),
    /** General-purpose counters (the model holds 1..8; scenarios use 2-4). */
    numGp: z.number().int().min(1).max(MAX_GP_COUNTERS),
    /** Fixed counters (0..8). */
    numFixed: z.number().int().min(0).max(MAX_FIXED_COUNTERS),
    /** x86_pmu.pebs: the CPU has PEBS and perf uses it. */
    pebs: z.boolean(),
    /** Adaptive PEBS (PEBS format 4, MSR_PEBS_DATA_CFG). */
    adaptivePebs: z.boolean(),
    /** EPT-friendly PEBS (x86_pmu.pebs_ept, Ice Lake server and later): guest PEBS possible. */
    eptFriendlyPebs: z.boolean(),
    /** VM_{ENTRY,EXIT}_LOAD_IA32_PERF_GLOBAL_CTRL (cpu_has_load_perf_global_ctrl()). */
    loadPerfGlobalCtrl: z.boolean(),
    /**
     * VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL (cpu_has_save_perf_global_ctrl(), capabilities.h l.114 in
     * 7.1.5; "introduced by Sapphire Rapids", commit d3ba32d1ff2a). Without it the mediated vPMU
     * saves the guest's GLOBAL_CTRL through the VM-exit MSR-store list (d374b89edbb9).
     */
    savePerfGlobalCtrl: z.boolean().default(false),
    /** MSR-load list capacity KVM allows (MAX_NR_LOADSTORE_MSRS, 8 in v5.11 and v6.16). */
    listCapacity: z.number().int().positive(),
    /** Byte the NMI layer reads as the NMI reason (port 0x61) when nothing claims an NMI. */
    nmiReason: z.number().int().min(0).max(0xff),
    /** CPU number the modelled vCPU and perf events run on (for messages). */
    cpu: z.number().int().min(0),
  })
  .strict();

export type HardwareProfileInput = z.input<typeof hardwareProfileSchema>;

/** A validated profile, with what the kernel derives from it. */
export interface HardwareProfile extends z.output<typeof hardwareProfileSchema> {
  /** x86_pmu.pebs_no_isolation, derived (never written in a profile). */
  readonly pebsNoIsolation: boolean;
}

/** A profile was refused; the message names the field and the allowed values. */
export class ProfileError extends Error {}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const field = issue.path.length ? issue.path.join(".") : "(profile)";
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed fields: ${Object.keys(hardwareProfileSchema.shape).join(", ")}`;
    case "invalid_type":
      return `field "${field}" ${valueAt(input, issue.path) === undefined ? "is missing" : `has the wrong type`}; expected ${issue.expected}`;
    case "too_small":
      return `field "${field}" is too small; allowed: ${issue.inclusive === false ? "more than" : "at least"} ${String(issue.minimum)}`;
    case "too_big":
      return `field "${field}" is too large; allowed: ${issue.inclusive === false ? "less than" : "at most"} ${String(issue.maximum)}`;
    case "invalid_value":
      return `field "${field}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `field "${field}": ${issue.message}`;
  }
}

/**
 * Validate a profile, whole or not at all. Throws {@link ProfileError} with a one-line message
 * naming the first bad field and what it allows.
 */
export function parseHardwareProfile(input: unknown, source = "profile"): HardwareProfile {
  const r = hardwareProfileSchema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    const id =
      typeof input === "object" && input !== null && "id" in input ? ` "${String((input as { id: unknown }).id)}"` : "";
    throw new ProfileError(
      `${source}${id}: ${first ? describeIssue(first, input) : "invalid"}. Fix the profile and run again.`,
    );
  }
  const p = r.data;
  return Object.freeze({ ...p, pebsNoIsolation: derivePebsNoIsolation(p) });
}

/** The hardware rules' configuration for a profile and the scenario's debug-store set-up. */
export function hwConfigOf(
  p: HardwareProfile,
  ds: { pebsThresholdRecords: number; pebsMaxRecords: number } = { pebsThresholdRecords: 1, pebsMaxRecords: 2 },
  dropMaskedPmi = false,
): HwConfig {
  return {
    numGp: p.numGp,
    numFixed: p.numFixed,
    pebsThresholdRecords: ds.pebsThresholdRecords,
    pebsMaxRecords: ds.pebsMaxRecords,
    pebsIsolation: !p.pebsNoIsolation,
    ...(dropMaskedPmi ? { dropMaskedPmi: true } : {}),
  };
}
