import { readFile } from "node:fs/promises";
import {
  buildCell,
  createRootContainer,
  parseReplayFile,
  ReplayDivergence,
  ReplayFileError,
  renderTrace,
  replay,
} from "@switchlab/model";
import { findPolicy, findProfile, findScenario, loadCatalog } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import { applyAssumptions, type Values } from "../options.js";

/**
 * `switchlab replay <file>`: re-execute a saved interleaving and print its trace. Exit 0 when it
 * replays (and ends with the symptoms the file expects, if it says), 1 when it diverges, 2 for a
 * usage error (a malformed file, an unknown id).
 */
export async function replayCommand(values: Values, args: string[], io: Io): Promise<number> {
  const file = args[0] as string;
  const format = (values.format as string | undefined) ?? "text";
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(
      `cannot read replay file ${file}; give the path of a file written by 'switchlab check --save'`,
    );
  }
  let r: ReturnType<typeof parseReplayFile>;
  try {
    r = parseReplayFile(text, file);
  } catch (e) {
    if (e instanceof ReplayFileError) throw new UsageError(e.message);
    throw e;
  }
  const catalog = await loadCatalog();
  const { kernel: _kernel, ...assumed } = r.assumptions ?? {};
  const [scenario] = applyAssumptions([findScenario(catalog, r.scenario)], assumed);
  const cell = buildCell(
    createRootContainer(),
    findPolicy(catalog, r.policy),
    findProfile(catalog, r.profile),
    scenario as NonNullable<typeof scenario>,
  );
  let trace: ReturnType<typeof replay>;
  try {
    trace = replay(cell, r.choices);
  } catch (e) {
    if (e instanceof ReplayDivergence) {
      io.err(`switchlab: ${file}: replay diverged: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const got = trace.symptoms.map((s) => s.id);
  const mismatch =
    r.expect && (r.expect.symptoms.length !== got.length || r.expect.symptoms.some((s) => !got.includes(s)));
  if (format === "json") {
    io.out(
      `${JSON.stringify({ file, ...r, trace: trace.steps, printk: trace.printk, symptoms: trace.symptoms }, null, 2)}\n`,
    );
  } else {
    io.out(
      `# ${r.title ?? file}\n# policy ${r.policy}, profile ${r.profile}, scenario ${r.scenario}, ${r.choices.length} choices\n`,
    );
    io.out(`${renderTrace(trace).join("\n")}\n`);
    if (trace.printk.length) io.out(`\nkernel log:\n${trace.printk.map((l) => `  ${l}`).join("\n")}\n`);
  }
  if (mismatch) {
    io.err(
      `switchlab: ${file}: replay diverged: expected symptoms [${r.expect?.symptoms.join(", ")}], got [${got.join(", ")}]\n`,
    );
    return 1;
  }
  return 0;
}
