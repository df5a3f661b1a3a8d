import { deepFreeze } from "@switchlab/model";
import { z } from "zod";

/**
 * Cycle costs per operation of one VM round trip. Estimates, not measurements: they are
 * parameters of the cost model, chosen so that the model's round trips on Emerald Rapids land
 * near the published figures of domain.md section 7 (see DEFAULT_COST_TABLE's sources).
 */
export const costTableSchema = z
  .object({
    schema: z.literal("switchlab.costs/1"),
    /** Always true for the built-in table: these numbers are estimates. */
    estimates: z.boolean(),
    sources: z.array(z.string().min(1)),
    cycles: z
      .object({
        /** VM-entry plus a fastpath VM-exit with nothing on the MSR-load lists and no field loads. */
        baseRoundTrip: z.number().nonnegative(),
        /** One immediate WRMSR by host code. */
        wrmsr: z.number().nonnegative(),
        /** One MSR loaded from the VM-entry MSR-load list. */
        entryLoad: z.number().nonnegative(),
        /** One MSR loaded from the VM-exit MSR-load list. */
        exitLoad: z.number().nonnegative(),
        /** One dedicated VMCS field load (GUEST/HOST_IA32_PERF_GLOBAL_CTRL). */
        fieldLoad: z.number().nonnegative(),
      })
      .strict(),
  })
  .strict();

export type CostTable = z.infer<typeof costTableSchema>;

export const DEFAULT_COST_TABLE: CostTable = deepFreeze({
  schema: "switchlab.costs/1",
  estimates: true,
  sources: [
    "domain.md section 7: Emerald Rapids, fastpath exit, vCPU with a virtual PMU: ~1120 cycles without host PEBS and ~1450 with host PEBS today; ~860 and ~900 with the 2026 series",
    "baseRoundTrip 820 + 2 fieldLoad 20 = 860, the series' round trip with no MSR on the lists",
    "entryLoad/exitLoad 90: between the ~130 per list load implied by 1120 - 860 (two DS_AREA loads) and the ~55 implied by the host-PEBS delta; wrmsr 120 for the serialising PEBS_ENABLE write",
  ],
  cycles: { baseRoundTrip: 820, wrmsr: 120, entryLoad: 90, exitLoad: 90, fieldLoad: 20 },
});

/** A cost table was refused; the message names the entry. */
export class CostTableError extends Error {}

/** Validate a cost table (e.g. from `--costs file`); a missing or negative entry is named. */
export function parseCostTable(data: unknown, source: string): CostTable {
  const r = costTableSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    const entry = i?.path.join(".") || "(table)";
    const what =
      i?.code === "too_small"
        ? "must not be negative"
        : i?.code === "invalid_type"
          ? "is missing or not a number"
          : (i?.message ?? "is invalid");
    throw new CostTableError(
      `${source}: cost entry "${entry}" ${what}; see the built-in table in packages/conformance/src/costs/cost-table.ts`,
    );
  }
  return r.data;
}
