import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { UserConfig } from "vite";

/**
 * Shared vite/vitest settings for every package:
 * - oxc must emit legacy decorators and design:* metadata for every file, test files included
 *   (vite 8 applies tsconfig decorator settings only to files a tsconfig includes);
 * - workspace packages resolve to their TypeScript sources through the `@switchlab/source`
 *   export condition, so tests never wait for a build. Tests run in vitest's server-side
 *   environment, whose resolver reads `ssr.resolve`, so the condition is set there too.
 */
export function sharedConfig(): Pick<UserConfig, "oxc" | "resolve" | "ssr"> {
  const conditions = ["@switchlab/source", "import", "default"];
  return {
    oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@switchlab/source"] } },
  };
}

/**
 * Every package's test settings. No test may pass or fail by the clock: timeouts are off
 * (0), so a slow machine makes a run slower, never red. What a timeout would catch, a hung
 * exploration, the CLI's row watchdog reports as a verdict; CI's own time limit bounds the rest.
 * The row cache is a fresh folder per run: a test explores what today's code computes, never
 * rows a developer's earlier runs left in node_modules/.cache. A test that needs two workers
 * says --jobs 2.
 *
 * A package's test files share one module graph per vitest worker (isolate: false): the model's
 * tests are functions of values and leave no module state behind (every world is a fresh value),
 * and the CLI's restore every environment variable they set (afterEach) and pass their toy
 * assumption's list explicitly, never registering it; re-evaluating the whole graph for each file
 * only cost time (measured: the CLI's project 108 s -> 96 s of CPU, the others 58 s -> 47 s).
 */
export function testDefaults(name: string) {
  return {
    name,
    isolate: false,
    include: ["src/**/__tests__/**/*.test.ts"],
    environment: "node" as const,
    testTimeout: 0,
    hookTimeout: 0,
    // One pool worker per CLI run: vitest already runs the test files in parallel on every core.
    env: { SWITCHLAB_CACHE_DIR: mkdtempSync(join(tmpdir(), "switchlab-test-cache-")), SWITCHLAB_JOBS: "1" },
  };
}
