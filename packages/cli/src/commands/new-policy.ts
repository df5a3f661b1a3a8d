import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expectedOf, runMatrix } from "@switchlab/conformance";
import { builtinProfiles } from "@switchlab/hardware";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import { renderPolicySummary } from "@switchlab/report";
import { workRoot } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import type { Values } from "../options.js";
import { indexTs, POLICY_TEST, packageJson, readme, TSCONFIG, vitestConfig } from "../scaffold/templates.js";
import { writeAtomic } from "../write-atomic.js";

/** A policy id: a folder name that also makes a valid npm package name `@switchlab/policy-<id>`. */
export const POLICY_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;

/**
 * `switchlab new-policy <id>`: scaffold policies/<id> (package.json, tsconfig, vitest config, a
 * no-change definePolicy, its test, a README with the four headings, and expected.json). The
 * README's "What the matrix shows" and expected.json come from a real run of the new policy over
 * every profile and scenario. Files are written to a temporary folder that is renamed into
 * place, so a refused or failed scaffold leaves nothing behind; then `pnpm install` links the
 * new workspace package (skip with --no-install).
 */
export async function newPolicyCommand(values: Values, args: string[], io: Io): Promise<number> {
  const id = args[0] as string;
  if (!POLICY_ID.test(id)) {
    throw new UsageError(
      `'${id}' is not a valid policy id: use lower-case letters, digits and dashes, starting with a letter or digit (it becomes @switchlab/policy-${id})`,
    );
  }
  const root = workRoot();
  const dir = join(root, "policies", id);
  if (existsSync(dir)) throw new UsageError(`policy '${id}' exists already at ${dir}; choose another id`);

  const policy = definePolicy<World, ModelEnv>({
    id,
    title: `${id} (describe the patch)`,
    summary: "What the patch changes, in one sentence.",
    upstream: { cite: "the mail or commit this models", url: "https://lore.kernel.org/" },
    touches: [],
  });
  io.err(`switchlab: running the matrix for ${id} to fill its README and expected.json...\n`);
  const m = runMatrix({ policies: [policy], profiles: builtinProfiles() });

  const tmp = join(root, "policies", `.${id}.${process.pid}.tmp`);
  try {
    await mkdir(join(tmp, "src", "__tests__"), { recursive: true });
    await writeFile(join(tmp, "package.json"), packageJson(id, `${id}: describe the kernel patch this policy models.`));
    await writeFile(join(tmp, "tsconfig.json"), TSCONFIG);
    await writeFile(join(tmp, "vitest.config.ts"), vitestConfig(id));
    await writeFile(join(tmp, "src", "index.ts"), indexTs(id));
    await writeFile(join(tmp, "src", "__tests__", "policy.test.ts"), POLICY_TEST);
    await writeFile(join(tmp, "README.md"), readme(id, renderPolicySummary(m, id)));
    await writeFile(join(tmp, "expected.json"), `${JSON.stringify(expectedOf(m, id), null, 2)}\n`);
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  io.out(`created policies/${id}\n`);
  await addProjectReference(root, `policies/${id}`);
  if (values.install !== false) {
    const r = spawnSync("pnpm", ["install", "--prefer-offline"], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) {
      io.err(`${r.stdout}${r.stderr}switchlab: pnpm install failed; run it yourself before 'pnpm switchlab matrix'\n`);
      return 1;
    }
  }
  io.out(
    `next: edit policies/${id}/src/index.ts, then 'pnpm switchlab matrix --policy ${id}', 'pnpm switchlab show-policy ${id}', and 'pnpm record-expected ${id}' to refresh its expected.json and README\n`,
  );
  return 0;
}

/** Add the new package to the root tsconfig's project references (for `pnpm typecheck`), if there is one. */
async function addProjectReference(root: string, path: string): Promise<void> {
  const file = join(root, "tsconfig.json");
  if (!existsSync(file)) return;
  const cfg = JSON.parse(await readFile(file, "utf8")) as { references?: { path: string }[] };
  if (!cfg.references || cfg.references.some((r) => r.path === path)) return;
  cfg.references.push({ path });
  await writeAtomic(file, `${JSON.stringify(cfg, null, 2)}\n`);
}
