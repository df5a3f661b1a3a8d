import { KVM_SERVICES } from "@switchlab/kvm";
import { PERF_SERVICES } from "@switchlab/perf";

/**
 * The files of a policy plugin, as `switchlab new-policy` writes them. Every plugin under
 * policies/ has this shape; the meta-tests check it.
 */

/** The classes a policy may subclass, from the subsystems' service tables. */
const SERVICE_CLASSES = [...PERF_SERVICES, ...KVM_SERVICES].map((s) => s.cls.name).join(", ");

export const README_HEADINGS = [
  "Kernel patch",
  "What it changes",
  "What the matrix shows",
  "Known limitations",
] as const;

export function packageJson(id: string, description: string): string {
  return `${JSON.stringify(
    {
      name: `@switchlab/policy-${id}`,
      version: "0.1.0",
      private: true,
      type: "module",
      description,
      switchlab: { kind: "policy" },
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: {
        ".": { "@switchlab/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
      },
      scripts: { build: "tsc -b", test: "vitest run" },
      // What the scaffold imports; add @switchlab/hardware, perf or kvm (and tsyringe) when the patch needs them.
      dependencies: { "@switchlab/model": "workspace:*", "@switchlab/policy-api": "workspace:*" },
      devDependencies: { "@switchlab/conformance": "workspace:*", "reflect-metadata": "0.2.2" },
    },
    null,
    2,
  )}\n`;
}

export const TSCONFIG = `${JSON.stringify(
  {
    extends: "../../tsconfig.base.json",
    compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/tsconfig.tsbuildinfo" },
    include: ["src"],
    exclude: ["src/**/__tests__/**"],
    references: ["model", "policy-api"].map((p) => ({ path: `../../packages/${p}` })),
  },
  null,
  2,
)}\n`;

export function vitestConfig(id: string): string {
  return `import { defineProject } from "vitest/config";
import { sharedConfig, testDefaults } from "../../vitest.shared.js";

export default defineProject({
  ...sharedConfig(),
  test: testDefaults("policy-${id}"),
});
`;
}

export function indexTs(id: string): string {
  return `import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";

/**
 * ${id}: describe the kernel patch this policy models. Change the model the way the patch
 * changes the kernel: override a kernel-function service in \`register\` (subclass one of
 * ${SERVICE_CLASSES}
 * and register it for its token), or edit the step sequences in \`patch\` (insertBefore,
 * insertAfter, replace, remove, replaceRun on RUN_LOOP, "perf_tick" or "perf_sched"). As
 * scaffolded it changes nothing, so it behaves as upstream.
 */
export default definePolicy<World, ModelEnv>({
  id: "${id}",
  title: "${id} (describe the patch)",
  summary: "What the patch changes, in one sentence.",
  upstream: { cite: "the mail or commit this models", url: "https://lore.kernel.org/" },
  touches: [],
  patch: () => {},
});
`;
}

export const POLICY_TEST = `import "reflect-metadata";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkPolicy } from "@switchlab/conformance";
import { describe, expect, it } from "vitest";
import policy from "../index.js";

describe(\`\${policy.id} in the conformance matrix\`, () => {
  it("has the manifest of its folder and gives expected.json's verdicts and state counts on the small slice (the whole matrix: pnpm test:matrix)", () => {
    const dir = fileURLToPath(new URL("../../", import.meta.url));
    const expected = JSON.parse(readFileSync(\`\${dir}expected.json\`, "utf8"));
    expect(checkPolicy(policy, dir, expected)).toEqual([]);
  });
});
`;

export function readme(id: string, matrixSection: string): string {
  return `# ${id}

## Kernel patch

Which patch or mail this models, with a link.

## What it changes

Which kernel functions the policy changes, and how (the steps it inserts, the services it overrides).
\`pnpm switchlab show-policy ${id}\` prints the change as a diff of step sequences against \`original\`.

## What the matrix shows

${matrixSection}

## Known limitations

What the model of this patch leaves out.
`;
}
