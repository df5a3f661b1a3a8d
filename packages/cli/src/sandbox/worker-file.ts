import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * How the CLI starts its workers (the pool's, discovery's, a command's): the built file, and the
 * Node options to give it.
 */

/** A built file of this package: from dist, also when the CLI runs from its sources (tests). */
export function builtFile(here: string, name: string): string {
  const file = fileURLToPath(new URL(name, here));
  const built = file.replace(/([\\/])src([\\/])/, "$1dist$2");
  if (!existsSync(built))
    throw new Error(`the CLI's ${built} is not built: run pnpm build (pnpm switchlab builds it for you)`);
  return built;
}

/** Node options without --conditions / -C (as `--conditions=x`, `--conditions x`, `-C x`). */
function withoutConditions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--conditions" || a === "-C") i++;
    else if (!a.startsWith("--conditions=")) out.push(a);
  }
  return out;
}

/**
 * A worker's Node options: the built packages, whatever conditions this process was started with
 * (the tests run the CLI from its sources with the @switchlab/source condition), so those are
 * removed, and V8 flags too (a worker cannot be given them); otherwise undefined, and the worker
 * inherits this process's options, as Node does by default.
 */
export const WORKER_EXEC_ARGV: string[] | undefined = process.execArgv.some(
  (a) => a === "--conditions" || a === "-C" || a.startsWith("--conditions="),
)
  ? withoutConditions(process.execArgv).filter((a) => !/^--(max-|min-|v8-|stack-size|single-threaded)/.test(a))
  : undefined;
