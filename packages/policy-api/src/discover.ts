import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { policyManifestSchema, type SwitchPolicy } from "./policy.js";

/** A plugin that could not be loaded: where it is and why. The rest of the matrix still runs. */
export interface PluginProblem {
  readonly path: string;
  readonly message: string;
}

export interface Discovery<W, E> {
  readonly policies: SwitchPolicy<W, E>[];
  readonly problems: PluginProblem[];
}

/**
 * Find the policy plugins: every folder of `<root>/policies` whose package.json says
 * `"switchlab": { "kind": "policy" }`. Each is imported from its built entry (`main`), must
 * export a policy made by definePolicy as its default export, and must have an id equal to its
 * folder name and not used by another plugin. Anything else is a problem reported with its path;
 * discovery never throws for one plugin.
 */
export async function discoverPolicies<W = unknown, E = unknown>(root: string): Promise<Discovery<W, E>> {
  const dir = join(root, "policies");
  const policies: SwitchPolicy<W, E>[] = [];
  const problems: PluginProblem[] = [];
  let folders: string[] = [];
  try {
    folders = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return { policies, problems: [{ path: dir, message: "no policies folder" }] };
  }
  const seen = new Map<string, string>();
  for (const folder of folders) {
    const path = join(dir, folder);
    try {
      const pkg = JSON.parse(await readFile(join(path, "package.json"), "utf8")) as {
        switchlab?: { kind?: string };
        main?: string;
      };
      if (pkg.switchlab?.kind !== "policy") continue;
      const entry = join(path, pkg.main ?? "dist/index.js");
      const mod = (await import(pathToFileURL(entry).href)) as { default?: unknown };
      const r = policyManifestSchema.safeParse(
        mod.default && typeof mod.default === "object"
          ? Object.fromEntries(Object.entries(mod.default).filter(([, v]) => typeof v !== "function"))
          : mod.default,
      );
      if (!r.success) {
        const i = r.error.issues[0];
        throw new Error(`invalid manifest: field "${i?.path.join(".") || "(default export)"}": ${i?.message}`);
      }
      // A second folder with an id already taken is a duplicate first (whatever its folder name).
      const other = seen.get(r.data.id);
      if (other) throw new Error(`duplicate policy id "${r.data.id}" (also in ${other})`);
      if (r.data.id !== folder) throw new Error(`policy id "${r.data.id}" does not match its folder name "${folder}"`);
      seen.set(r.data.id, path);
      policies.push(mod.default as SwitchPolicy<W, E>);
    } catch (e) {
      problems.push({ path, message: e instanceof Error ? e.message.split("\n")[0]! : String(e) });
    }
  }
  return { policies, problems };
}
