import { fileURLToPath } from "node:url";

/** The workspace's own packages (this file is packages/conformance/{src,dist}/matrix/plugin-error.*). */
const PACKAGES = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * What a cell's `error` says when policy code throws: the message, turned into words where it
 * is a write to something frozen (what a cell shares is read-only, model/src/freeze.ts), and the
 * place in the plugin it came from (the first stack frame outside switchlab's own packages), so
 * a plugin author sees which line of theirs did it.
 */
export function pluginErrorMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const frozen =
    e instanceof TypeError &&
    /^(Cannot assign to read only property|Cannot add property|Cannot delete property|Cannot define property|Cannot redefine property)/.test(
      raw,
    );
  // SES names a frozen intrinsic %Like%This% (cli/src/sandbox/harden.ts froze them all).
  const intrinsic = frozen && /%[A-Za-z.]+%/.test(raw);
  const text = !frozen
    ? raw
    : intrinsic
      ? `policy code tried to change a JavaScript intrinsic, which switchlab freezes so no policy can change another's results: ${raw}`
      : `a hook wrote to what the cell shares, which is read-only (scenario, profile, cost table, environment; keep state in the world or stateSlots): ${raw}`;
  const at = e instanceof Error ? pluginFrame(e.stack) : undefined;
  return at ? `${text} (at ${at})` : text;
}

/** The first stack frame in plugin code: a file outside the workspace's packages and Node's internals. */
export function pluginFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(PACKAGES) || file.includes("/node_modules/")) continue;
    return `${file}:${m[2]}`;
  }
  return undefined;
}
