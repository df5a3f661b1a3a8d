import { DEFAULT_KERNELS, GUARDS, KERNEL_VERSIONS, PROPERTIES } from "@switchlab/conformance";
import { mediatedPmuOf, scenarioBaseId } from "@switchlab/model";
import { KERNEL_SOURCES } from "@switchlab/perf";
import { loadCatalog } from "../catalog.js";
import type { Io } from "../io.js";
import type { Values } from "../options.js";

/** `switchlab list`: the ids of every policy, profile, scenario, property and guard. */
export async function listCommand(_v: Values, _args: string[], io: Io): Promise<number> {
  const c = await loadCatalog();
  const block = (title: string, rows: { id: string; title: string }[]) => {
    io.out(`${title}:\n`);
    for (const r of rows) io.out(`  ${r.id.padEnd(32)} ${r.title}\n`);
  };
  block(
    "policies",
    c.policies.map((p) => {
      // A policy that follows a stored tree names its commit in upstream.cite: say which.
      const commit = /\b[0-9a-f]{40}\b/.exec(p.upstream.cite)?.[0];
      return { id: p.id, title: commit ? `${p.title}\n${" ".repeat(35)}follows commit ${commit}` : p.title };
    }),
  );
  block(
    "profiles",
    c.profiles.map((p) => ({ id: p.id, title: `${p.title}${p.pebsNoIsolation ? " [pebs_no_isolation]" : ""}` })),
  );
  block("kernels", [
    ...KERNEL_VERSIONS.map((k) => {
      const src = KERNEL_SOURCES[k];
      return { id: k, title: `${src.note}\n${" ".repeat(35)}follows ${src.tree} at ${src.at}` };
    }),
    { id: `(default: ${DEFAULT_KERNELS.join(",")})`, title: "--kernel picks others; own = each scenario's version" },
  ]);
  block("switch paths", [
    { id: "msr-lists", title: "perf_guest_get_msrs + the VM-entry/VM-exit MSR-load lists (every version)" },
    {
      id: "mediated",
      title:
        "the mediated vPMU, kvm.enable_mediated_pmu: kvm_mediated_pmu_load/_put (v7.3; scenarios marked [mediated])",
    },
  ]);
  block(
    "scenarios",
    c.scenarios.map((s) => ({
      id: s.id,
      title: `[${s.kernel}${mediatedPmuOf(s) ? ", mediated" : ""}${s.id === scenarioBaseId(s) ? "" : ", retargeted"}] ${s.title}`,
    })),
  );
  block(
    "properties",
    PROPERTIES.map((p) => ({ id: p.id, title: p.title })),
  );
  block(
    "guards",
    GUARDS.map((g) => ({ id: g.id, title: g.title })),
  );
  for (const p of c.problems) io.err(`switchlab: plugin skipped: ${p.path}: ${p.message}\n`);
  return 0;
}
