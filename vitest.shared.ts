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
