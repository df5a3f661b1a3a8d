import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { findScenarioRow, SCENARIO_ROWS } from "@switchlab/conformance";
import { builtinProfiles, type HardwareProfile } from "@switchlab/hardware";
import type { ModelEnv, Policy, Scenario, World } from "@switchlab/model";
import { discoverPolicies, type PluginProblem } from "@switchlab/policy-api";
import { cacheDir, noCache } from "./cache/rows.js";
import { UsageError } from "./io.js";
import { plural } from "./options.js";
import { loadProfileFile } from "./profile-file.js";
import { discoverSandboxed } from "./sandbox/discover.js";

/** How long one plugin's import may take in the discovery worker before it is blamed (as --row-timeout's default). */
const DISCOVERY_TIMEOUT_MS = 300_000;

/** The repository root (the CLI runs from packages/cli/dist or packages/cli/src). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Everything the commands can name: policies (discovered), profiles and scenarios. */
export interface Catalog {
  readonly policies: readonly Policy[];
  readonly problems: readonly PluginProblem[];
  readonly profiles: readonly HardwareProfile[];
  readonly scenarios: readonly Scenario[];
}

/** The root the commands work on: SWITCHLAB_ROOT if set (tests use a scratch copy), else this repository. */
export function workRoot(): string {
  return process.env.SWITCHLAB_ROOT || REPO_ROOT;
}

/**
 * The policies the last build could not compile, with the compiler's first error (the build
 * stamp, scripts/lib/build.mjs): discovery reports them and does not import their stale dist/.
 */
export async function unbuiltPolicies(root: string): Promise<{ folder: string; message: string }[]> {
  try {
    const stamp = JSON.parse(await readFile(join(root, BUILD_STAMP), "utf8")) as {
      problems?: { folder?: unknown; message?: unknown }[];
    };
    return (stamp.problems ?? []).flatMap((p) =>
      typeof p.folder === "string" && typeof p.message === "string" ? [{ folder: p.folder, message: p.message }] : [],
    );
  } catch {
    return [];
  }
}

/** Where the build leaves its stamp (scripts/lib/build.mjs). */
export const BUILD_STAMP = "node_modules/.cache/switchlab/build.json";

/**
 * Everything the commands can name. In the CLI's process the policies are discovered in a
 * sandboxed worker and come back as manifests that cannot be explored here (sandbox/discover.ts):
 * the process that decides the exit code never runs plugin code. In a sandboxed worker (the
 * pool's, or a command's: sandbox/command.ts) they are imported and explorable.
 */
export async function loadCatalog(
  root = workRoot(),
  extraProfiles: readonly HardwareProfile[] = [],
  cache: { readonly cache?: unknown } = {},
): Promise<Catalog> {
  const unbuilt = await unbuiltPolicies(root);
  const { policies, problems } = isMainThread
    ? await discoverSandboxed(root, unbuilt, DISCOVERY_TIMEOUT_MS, noCache(cache) ? undefined : { dir: cacheDir(root) })
    : await discoverPolicies<World, ModelEnv>(root, { unbuilt });
  const profiles = [...builtinProfiles()];
  for (const p of extraProfiles) {
    if (profiles.some((x) => x.id === p.id))
      throw new UsageError(
        builtinProfiles().some((x) => x.id === p.id)
          ? `profile id '${p.id}' from --profile-file is already a built-in profile; give it another id`
          : `profile id '${p.id}' appears twice in --profile-file; give each profile its own id`,
      );
    profiles.push(p);
  }
  return { policies, problems, profiles, scenarios: SCENARIO_ROWS };
}

/** The catalog with the profiles of an optional --profile-file (`v.cache`: --no-cache discovers afresh too). */
export async function loadCatalogWith(
  profileFile: string | undefined,
  v: { readonly cache?: unknown } = {},
): Promise<Catalog> {
  return loadCatalog(workRoot(), profileFile ? await loadProfileFile(profileFile) : [], v);
}

function pick<T extends { id: string }>(kind: string, all: readonly T[], id: string): T {
  const found = all.find((x) => x.id === id);
  if (!found)
    throw new UsageError(
      `unknown ${kind} '${id}'; valid ${plural(kind)}: ${all.map((x) => x.id).join(", ") || "(none)"}`,
    );
  return found;
}

export const findPolicy = (c: Catalog, id: string) => pick("policy", c.policies, id);
export const findProfile = (c: Catalog, id: string) => pick("profile", c.profiles, id);
/** A scenario row by id: one of the catalog's, or `<scenario>@<kernel>` at any modelled version. */
export const findScenario = (c: Catalog, id: string) =>
  c.scenarios.find((s) => s.id === id) ?? findScenarioRow(id) ?? pick("scenario", c.scenarios, id);
