import { createHash, type Hash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { REPO_ROOT } from "../catalog.js";

/**
 * The code a row's exploration runs, as content hashes (never mtimes): what the row cache's keys
 * (rows.ts) and the frontier cache's (frontier.ts) are made of besides the row's own inputs.
 *
 * What is hashed is the built JavaScript (dist/), not the TypeScript sources: the workers import
 * dist/, so that is what decides a result. A source edit reaches dist/ through the build that
 * `pnpm switchlab` runs first; a dist/ that is stale or edited by hand is still hashed as it is;
 * and a plugin that has no sources at all (a folder with an index.js, as the fault-injection
 * fixtures are) is covered the same way. Declarations (.d.ts), source maps and tsbuildinfo do
 * not run and are left out. The third-party packages the code imports count by name and
 * installed version.
 */

/** The packages every row's exploration imports (the model of the hardware, perf, KVM; the explorer; the checks). */
export const MODEL_PACKAGES = ["hardware", "perf", "kvm", "model", "explorer", "conformance", "policy-api"] as const;

/** Files that do not run: declarations, source maps, the compiler's incremental state. */
const INERT = /(\.d\.ts|\.d\.ts\.map|\.js\.map|\.tsbuildinfo)$/;

/** Folders of a policy that are not what runs: its sources (dist/ is), tests, dependencies. */
const NOT_RUN = new Set(["node_modules", "src", "__tests__", "__matrix__", ".git"]);

/** Files of a policy that are not imported: its recorded expectations, configs, docs. */
const POLICY_RUNS = /\.(js|mjs|cjs|json)$/;
const POLICY_INERT = new Set(["expected.json", "tsconfig.json", "tsconfig.build.json"]);

function filesUnder(dir: string, keep: (name: string) => boolean, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory()) {
      if (!NOT_RUN.has(e.name)) filesUnder(join(dir, e.name), keep, out);
    } else if (keep(e.name)) out.push(join(dir, e.name));
  }
}

function hashFiles(h: Hash, base: string, files: readonly string[]): void {
  for (const f of files) {
    h.update(relative(base, f));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
}

interface PackageJson {
  readonly name?: string;
  readonly main?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

function packageJson(folder: string): PackageJson {
  return JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as PackageJson;
}

/** The installed version of each third-party dependency of a package (`name@version`, sorted). */
function thirdParty(folder: string, pkg: PackageJson): string[] {
  const out: string[] = [];
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
    if (dep.startsWith("@switchlab/")) continue;
    let version = "missing";
    try {
      version = JSON.parse(readFileSync(join(folder, "node_modules", dep, "package.json"), "utf8")).version;
    } catch {
      // not installed: the import fails, which makes the rows errors, which are never cached
    }
    out.push(`${dep}@${version}`);
  }
  return out;
}

/** Salts from SWITCHLAB_CACHE_SALT (`model`, a policy id, or `name=salt`, comma-separated): for tests and bench. */
export function saltsFrom(env: string | undefined): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const part of (env ?? "").split(",")) {
    const t = part.trim();
    if (!t) continue;
    const i = t.indexOf("=");
    m.set(i < 0 ? t : t.slice(0, i), i < 0 ? "salted" : t.slice(i + 1));
  }
  return m;
}

/** The hash of the model's code: every package of MODEL_PACKAGES, its dist/ and third-party versions. */
export function modelCodeHash(
  packagesDir = join(REPO_ROOT, "packages"),
  salts: ReadonlyMap<string, string> = new Map(),
): string {
  const h = createHash("sha256");
  h.update(`salt:${salts.get("model") ?? ""}\0`);
  for (const name of MODEL_PACKAGES) {
    const folder = join(packagesDir, name);
    const pkg = packageJson(folder);
    h.update(`package:${name}\0${thirdParty(folder, pkg).join(",")}\0`);
    const files: string[] = [];
    if (existsSync(join(folder, "dist"))) filesUnder(join(folder, "dist"), (n) => !INERT.test(n), files);
    hashFiles(h, folder, files);
  }
  return h.digest("hex");
}

/**
 * Each policy's code hash: its own folder (package.json and the JavaScript and JSON that can be
 * imported, outside src/ and node_modules/) and, recursively, every policy it depends on
 * (package.json dependencies on another policy, found where the import finds it: its
 * node_modules link, else the folder of `root`/policies with that package name). A policy whose
 * folder cannot be read has no hash, and its rows are not cached.
 */
export function policyCodeHashes(
  root: string,
  ids: readonly string[],
  salts: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const policiesDir = join(root, "policies");
  /** Package name -> folder, for the policies of this root (the fallback when a link is missing). */
  let byName: Map<string, string> | undefined;
  const folderOfName = (name: string): string | undefined => {
    if (!byName) {
      byName = new Map();
      try {
        for (const e of readdirSync(policiesDir, { withFileTypes: true })) {
          try {
            const n = packageJson(join(policiesDir, e.name)).name;
            if (n) byName.set(n, join(policiesDir, e.name));
          } catch {
            // not a package
          }
        }
      } catch {
        // no policies folder
      }
    }
    return byName.get(name);
  };
  /** The hash of one folder's own code, by its real path. */
  const own = new Map<string, { hash: string; deps: string[] }>();
  const ownOf = (folder: string): { hash: string; deps: string[] } => {
    const real = realpathSync(folder);
    let o = own.get(real);
    if (!o) {
      const pkg = packageJson(real);
      const h = createHash("sha256");
      h.update(`${pkg.name ?? ""}\0${thirdParty(real, pkg).join(",")}\0`);
      const files: string[] = [];
      filesUnder(real, (n) => POLICY_RUNS.test(n) && !INERT.test(n) && !POLICY_INERT.has(n), files);
      hashFiles(h, real, files);
      const deps: string[] = [];
      for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
        if (!dep.startsWith("@switchlab/policy-") || dep === "@switchlab/policy-api") continue;
        const linked = join(real, "node_modules", dep);
        const d = existsSync(linked) ? linked : folderOfName(dep);
        if (!d) throw new Error(`${pkg.name} depends on ${dep}, which is not installed`);
        deps.push(realpathSync(d));
      }
      o = { hash: h.digest("hex"), deps };
      own.set(real, o);
    }
    return o;
  };
  const out = new Map<string, string>();
  for (const id of ids) {
    try {
      // The policy and everything it depends on, each once, in a deterministic order.
      const seen = new Set<string>();
      const walk = (folder: string): void => {
        const real = realpathSync(folder);
        if (seen.has(real)) return;
        seen.add(real);
        for (const d of ownOf(real).deps) walk(d);
      };
      walk(join(policiesDir, id));
      const h = createHash("sha256");
      h.update(`salt:${salts.get(id) ?? ""}\0`);
      for (const real of seen) {
        const o = ownOf(real);
        // A dependency's salt reaches its dependents too, as an edit of its code would.
        const name = basename(real);
        h.update(`${o.hash}\0${name === id ? "" : (salts.get(name) ?? "")}\0`);
      }
      out.set(id, h.digest("hex"));
    } catch {
      // unreadable: no hash, so its rows are explored and not stored
    }
  }
  return out;
}
