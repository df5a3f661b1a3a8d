import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TOOL } from "@switchlab/conformance";
import type { PluginProblem, PolicyManifest } from "@switchlab/policy-api";
import { builtFile } from "../sandbox/worker-file.js";
import { modelCodeHash, policyCodeHashes } from "./code-hash.js";
import { canonical } from "./rows.js";

/**
 * What plugin discovery found (the sandboxed discovery worker's answer: each plugin's manifest as
 * data, and each problem), kept beside the row cache so that a command run again on unchanged
 * plugins does not start a worker and import every plugin to learn what it learnt last time.
 *
 * The answer depends only on code: the worker runs with the clock, timers and randomness stubbed
 * (sandbox/harden.ts), so importing the same plugins under the same sandbox gives the same
 * manifests and problems. The key is a content hash of that code: the model's packages
 * (code-hash.ts; policy-api's discoverPolicies among them), the sandbox's own files, every folder
 * of `<root>/policies` with what it depends on, the build's list of plugins it could not compile,
 * the root (problems name paths), the tool's version and Node's. A folder that cannot be hashed
 * (no package.json, unreadable) turns the cache off for that run, and an answer that needed a
 * second worker (a plugin ended or hung the first) is never stored, so what a misbehaving import
 * does is found again on every run. One file per root, replaced on each store, so the cache does
 * not grow. Only a manifest's data is kept: exploring a policy always imports its code afresh in
 * a pool worker.
 */
export interface DiscoveryAnswer {
  readonly policies: readonly PolicyManifest[];
  readonly problems: readonly PluginProblem[];
}

/** The sandbox's files that decide what discovery answers (built JavaScript, as the worker runs it). */
const SANDBOX_FILES = ["./harden.js", "./discovery-worker.js"];

/** The key of discovery on `root` now, or undefined when some folder of its policies cannot be hashed. */
export function discoveryKey(root: string, unbuilt: unknown): string | undefined {
  try {
    const h = createHash("sha256");
    h.update(canonical({ tool: TOOL, node: process.version, root: realpathSync(root), unbuilt }));
    h.update(modelCodeHash());
    const here = new URL("../sandbox/", import.meta.url).href;
    for (const f of SANDBOX_FILES) h.update(readFileSync(builtFile(here, f)));
    const dir = join(root, "policies");
    // The folders discovery imports (a folder, or a link to one); other files it never reads.
    const names = readdirSync(dir)
      .filter((n) => statSync(join(dir, n)).isDirectory())
      .sort();
    const hashes = policyCodeHashes(root, names);
    for (const n of names) {
      const code = hashes.get(n);
      if (code === undefined) return undefined;
      h.update(`${n}\0${code}\0`);
    }
    return h.digest("hex");
  } catch {
    return undefined;
  }
}

function fileOf(dir: string, root: string): string {
  return join(dir, "discovery", `${createHash("sha256").update(realpathSync(root)).digest("hex").slice(0, 16)}.json`);
}

/** The stored answer for `key`, or undefined. */
export function loadDiscovery(dir: string, root: string, key: string): DiscoveryAnswer | undefined {
  try {
    const s = JSON.parse(readFileSync(fileOf(dir, root), "utf8")) as { key?: string; answer?: DiscoveryAnswer };
    return s.key === key && s.answer ? s.answer : undefined;
  } catch {
    return undefined;
  }
}

/** Store the answer for `key` (written whole, then renamed into place); a directory that cannot be written is left alone. */
export function saveDiscovery(dir: string, root: string, key: string, answer: DiscoveryAnswer): void {
  try {
    const file = fileOf(dir, root);
    mkdirSync(join(dir, "discovery"), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, answer }));
    renameSync(tmp, file);
  } catch {
    // the next run discovers again
  }
}
