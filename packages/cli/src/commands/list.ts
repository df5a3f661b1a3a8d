import { GUARDS, PROPERTIES } from "@switchlab/conformance";
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
    c.policies.map((p) => ({ id: p.id, title: p.title })),
  );
  block(
    "profiles",
    c.profiles.map((p) => ({ id: p.id, title: `${p.title}${p.pebsNoIsolation ? " [pebs_no_isolation]" : ""}` })),
  );
  block(
    "scenarios",
    c.scenarios.map((s) => ({ id: s.id, title: s.title })),
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
