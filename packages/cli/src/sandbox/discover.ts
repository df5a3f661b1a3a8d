import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Policy } from "@switchlab/model";
import type { PluginProblem, PolicyManifest } from "@switchlab/policy-api";
import { discoveryKey, loadDiscovery, saveDiscovery } from "../cache/discovery.js";
import { builtFile, WORKER_EXEC_ARGV } from "./worker-file.js";

/** What the discovery worker is given. */
export interface DiscoverySetup {
  readonly root: string;
  readonly unbuilt: readonly { readonly folder: string; readonly message: string }[];
  readonly skip: readonly string[];
}

export type DiscoveryReply =
  | { readonly kind: "importing"; readonly folder: string }
  | {
      readonly kind: "done";
      readonly policies: readonly PolicyManifest[];
      readonly problems: readonly PluginProblem[];
    };

/** Why a manifest from the sandbox cannot be explored in the CLI's process. */
export const SANDBOX_ONLY =
  "this policy's code runs only in a sandboxed worker (the CLI's process never imports a plugin)";

/**
 * The policies of `<root>/policies`, discovered in a sandboxed worker (discovery-worker.ts): the
 * manifests come back as data, and each is given a `register` that throws, so nothing in this
 * process can explore a plugin by mistake (explorations run in the pool's workers). A plugin that
 * ends the worker while it is imported (process.exit, a crash) or keeps it busy longer than
 * `timeoutMs` is reported as a problem naming it, and discovery goes on without it. With `cache`,
 * an answer found before for the same code is used without starting the worker
 * (cache/discovery.ts).
 */
export async function discoverSandboxed(
  root: string,
  unbuilt: DiscoverySetup["unbuilt"],
  timeoutMs: number,
  cache?: { readonly dir: string },
): Promise<{ policies: Policy[]; problems: PluginProblem[] }> {
  const file = builtFile(import.meta.url, "./discovery-worker.js");
  const blamed: PluginProblem[] = [];
  const key = cache ? discoveryKey(root, unbuilt) : undefined;
  const stored = cache && key ? loadDiscovery(cache.dir, root, key) : undefined;
  for (;;) {
    const skip = blamed.map((b) => b.path.split(/[\\/]/).pop() as string);
    const r = stored ? ({ kind: "done", ...stored } as const) : await once(file, { root, unbuilt, skip }, timeoutMs);
    if (r.kind === "done") {
      if (cache && key && !stored && !blamed.length)
        saveDiscovery(cache.dir, root, key, { policies: r.policies, problems: r.problems });
      const policies = r.policies.map(
        (m) =>
          ({
            ...m,
            register: () => {
              throw new Error(SANDBOX_ONLY);
            },
          }) as unknown as Policy,
      );
      const problems = [...r.problems.map(explained), ...blamed].sort((a, b) => a.path.localeCompare(b.path));
      return { policies, problems };
    }
    if (r.folder === undefined || skip.includes(r.folder)) throw new Error(`plugin discovery failed: ${r.why}`);
    blamed.push({ path: join(root, "policies", r.folder), message: r.why });
  }
}

/** A plugin that failed at import by writing to something frozen: say what switchlab froze. */
function explained(p: PluginProblem): PluginProblem {
  return /^(Cannot assign to read only property|Cannot add property|Cannot delete property|Cannot define property|Cannot redefine property)/.test(
    p.message,
  )
    ? {
        ...p,
        message: `${p.message}: switchlab freezes every JavaScript intrinsic and its own exports before a plugin is imported, so no plugin can change another policy's results`,
      }
    : p;
}

/** One discovery worker's run: its answer, or what ended it and which plugin it was importing. */
function once(
  file: string,
  setup: DiscoverySetup,
  timeoutMs: number,
): Promise<(DiscoveryReply & { kind: "done" }) | { kind: "ended"; folder?: string; why: string }> {
  return new Promise((resolve) => {
    const w = new Worker(file, {
      workerData: setup,
      ...(WORKER_EXEC_ARGV ? { execArgv: WORKER_EXEC_ARGV } : {}),
      stdout: true,
      stderr: true,
    });
    let folder: string | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timer) clearTimeout(timer);
      if (timeoutMs > 0)
        timer = setTimeout(
          () =>
            end({
              kind: "ended",
              folder,
              why: `its import did not finish within ${timeoutMs / 1000} s (--row-timeout)`,
            }),
          timeoutMs,
        );
    };
    const end = (r: Parameters<typeof resolve>[0]) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      w.removeAllListeners();
      w.on("error", () => {});
      void w.terminate();
      resolve(r);
    };
    // A plugin's console output at import is its own: not the CLI's output.
    w.stdout.resume();
    w.stderr.resume();
    w.on("message", (m: DiscoveryReply) => {
      if (m.kind === "importing") {
        folder = m.folder;
        arm();
      } else end(m);
    });
    w.on("error", (e) =>
      end({
        kind: "ended",
        folder,
        why: `it threw out of its worker while being imported: ${e.message.split("\n")[0]}`,
      }),
    );
    w.on("exit", (code) =>
      end({
        kind: "ended",
        folder,
        why: `it ended its worker while being imported (exit code ${code}: process.exit, or a crash)`,
      }),
    );
    arm();
  });
}
