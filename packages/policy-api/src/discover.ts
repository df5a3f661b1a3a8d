import { readdir, readFile, stat } from "node:fs/promises";
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

export interface DiscoverOptions {
  /** Folders the build could not compile, with the compiler's first error: reported, never imported. */
  readonly unbuilt?: readonly { readonly folder: string; readonly message: string }[];
  /** Import only this folder (a worker that explores one policy loads no other plugin's code). */
  readonly only?: string;
  /** Folders not to look at (a supervisor already reported them). */
  readonly skip?: readonly string[];
  /** Called right before a plugin's module is imported (a supervisor blames it if the import never returns). */
  readonly onImport?: (folder: string) => void;
}

/**
 * Find the policy plugins: every folder of `<root>/policies` whose package.json says
 * `"switchlab": { "kind": "policy" }`. Each is imported from its built entry (`main`), must
 * export a policy made by definePolicy as its default export, and must have an id equal to its
 * folder name and not used by another plugin. Anything else is a problem reported with its path;
 * discovery never throws for one plugin. A folder the build could not compile is reported with
 * the compiler's first error and not imported (its dist/ may be stale or missing).
 */
export async function discoverPolicies<W = unknown, E = unknown>(
  root: string,
  opts: DiscoverOptions = {},
): Promise<Discovery<W, E>> {
  const dir = join(root, "policies");
  const policies: SwitchPolicy<W, E>[] = [];
  const problems: PluginProblem[] = [];
  let folders: string[] = [];
  try {
    // A folder, or a link to one (a plugin kept elsewhere and linked in).
    const entries = await readdir(dir, { withFileTypes: true });
    const isDir = async (d: (typeof entries)[number]) =>
      d.isDirectory() || (d.isSymbolicLink() && (await stat(join(dir, d.name)).catch(() => undefined))?.isDirectory());
    const keep = await Promise.all(entries.map(isDir));
    folders = entries
      .filter((_, i) => keep[i])
      .map((d) => d.name)
      .sort();
  } catch {
    return { policies, problems: [{ path: dir, message: "no policies folder" }] };
  }
  const seen = new Map<string, string>();
  for (const folder of folders) {
    if (opts.only !== undefined && folder !== opts.only) continue;
    if (opts.skip?.includes(folder)) continue;
    const path = join(dir, folder);
    const unbuilt = opts.unbuilt?.find((u) => u.folder === folder);
    if (unbuilt) {
      problems.push({ path, message: unbuilt.message });
      continue;
    }
    try {
      const pkg = JSON.parse(await readFile(join(path, "package.json"), "utf8")) as {
        switchlab?: { kind?: string };
        main?: string;
      };
      if (pkg.switchlab?.kind !== "policy") continue;
      const entry = join(path, pkg.main ?? "dist/index.js");
      opts.onImport?.(folder);
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
