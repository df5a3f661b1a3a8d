import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  fromJsonForm,
  MATRIX_SCHEMA,
  type MatrixCell,
  MatrixJsonError,
  type MatrixResult,
  PROPERTIES,
} from "@switchlab/conformance";
import {
  type AssumptionOverrides,
  buildCell,
  createRootContainer,
  parseReplayFile,
  REPLAY_SCHEMA,
  ReplayDivergence,
  ReplayFileError,
  replay,
} from "@switchlab/model";
import { cName, renderSelftest } from "@switchlab/report";
import { type Catalog, findPolicy, findProfile, findScenario, loadCatalog } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import { applyAssumptions, checkOut, plural, type Values } from "../options.js";
import { writeAtomic } from "../write-atomic.js";

/** One counterexample to export: its row, property, choices and the assumptions it was found under. */
interface Counterexample {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
  readonly property: string;
  readonly assumptions: AssumptionOverrides;
  readonly choices: readonly string[];
  readonly symptom: string;
  readonly reproduce: readonly string[];
}

const SELECTORS = ["policy", "profile", "scenario", "property"] as const;

function property(id: string) {
  const p = PROPERTIES.find((x) => x.id === id);
  if (!p) throw new UsageError(`unknown property '${id}'; valid properties: ${PROPERTIES.map((x) => x.id).join(", ")}`);
  return p;
}

/** The counterexample of a replay file (check --save); its property from --property or its title. */
function fromReplayFile(text: string, file: string, v: Values): Counterexample {
  let r: ReturnType<typeof parseReplayFile>;
  try {
    r = parseReplayFile(text, file);
  } catch (e) {
    if (e instanceof ReplayFileError) throw new UsageError(e.message);
    throw e;
  }
  for (const k of ["policy", "profile", "scenario"] as const)
    if (v[k] !== undefined && v[k] !== r[k])
      throw new UsageError(`--${k} ${v[k]}: ${file} is a replay file of ${k} ${r[k]}; --${k} selects a matrix cell`);
  const id = (v.property as string | undefined) ?? /^(\S+) violated: /.exec(r.title ?? "")?.[1];
  if (!id)
    throw new UsageError(
      `${file} does not say which property it violates; give --property (one of ${PROPERTIES.map((x) => x.id).join(", ")})`,
    );
  const { kernel: _k, ...assumptions } = r.assumptions ?? {};
  return {
    policy: r.policy,
    profile: r.profile,
    scenario: r.scenario,
    property: property(id).id,
    assumptions,
    choices: r.choices,
    symptom: r.title?.replace(/^\S+ violated: /, "") ?? `${id} violated`,
    reproduce: [
      `pnpm switchlab replay ${file}`,
      `pnpm switchlab check --policy ${r.policy} --profile ${r.profile} --scenario ${r.scenario} --property ${id}`,
    ],
  };
}

/** The violated cells of a matrix the selectors name; an unknown id is a usage error. */
function selectCells(m: MatrixResult, v: Values): MatrixCell[] {
  const known: Record<(typeof SELECTORS)[number], readonly { id: string }[]> = {
    policy: m.policies,
    profile: m.profiles,
    scenario: m.scenarios,
    property: m.properties,
  };
  for (const k of SELECTORS) {
    const want = v[k] as string | undefined;
    if (want !== undefined && !known[k].some((x) => x.id === want))
      throw new UsageError(
        `unknown ${k} '${want}' in the matrix; valid ${plural(k)}: ${known[k].map((x) => x.id).join(", ")}`,
      );
  }
  const named = m.cells.filter((c) => SELECTORS.every((k) => v[k] === undefined || c[k] === v[k]));
  const violated = named.filter((c) => c.counterexample);
  if (!violated.length) {
    const what = SELECTORS.filter((k) => v[k] !== undefined)
      .map((k) => `--${k} ${v[k]}`)
      .join(" ");
    const verdicts = [...new Set(named.map((c) => c.verdict))].join(", ") || "no cells";
    throw new UsageError(
      `no cell${what ? ` of ${what}` : ""} is violated (${verdicts}), so there is no counterexample to export`,
    );
  }
  return violated;
}

function fromCell(c: MatrixCell): Counterexample {
  const cx = c.counterexample as NonNullable<MatrixCell["counterexample"]>;
  const { kernel: _k, ...assumptions } = c.assumptions;
  return {
    policy: c.policy,
    profile: c.profile,
    scenario: c.scenario,
    property: c.property,
    assumptions,
    choices: cx.actions,
    symptom: cx.symptom,
    reproduce: [cx.reproduce],
  };
}

/** The shortest counterexample of each (policy, property), in matrix order. */
function shortestPerPolicyProperty(cells: readonly MatrixCell[]): MatrixCell[] {
  const best = new Map<string, MatrixCell>();
  for (const c of cells) {
    const k = `${c.policy}\u0000${c.property}`;
    const b = best.get(k);
    if (!b || (c.counterexample?.actions.length ?? 0) < (b.counterexample?.actions.length ?? 0)) best.set(k, c);
  }
  return [...best.values()];
}

/** The C source of one counterexample: its row rebuilt under its assumptions, its choices replayed. */
function render(catalog: Catalog, x: Counterexample): string {
  const [scenario] = applyAssumptions([findScenario(catalog, x.scenario)], x.assumptions);
  const cell = buildCell(
    createRootContainer(),
    findPolicy(catalog, x.policy),
    findProfile(catalog, x.profile),
    scenario as NonNullable<typeof scenario>,
  );
  const trace = replay(cell, x.choices);
  const p = property(x.property);
  return renderSelftest({
    cell,
    property: { id: p.id, title: p.title, symptom: p.symptom },
    symptom: x.symptom,
    reproduce: x.reproduce,
    trace,
  });
}

/** A reproducer's file name: policy and property (one per pair in --out-dir). */
export function selftestFileName(x: { policy: string; property: string }): string {
  return `switchlab_${cName(x.policy)}__${cName(x.property)}.c`;
}

/**
 * `switchlab export-selftest <file>`: a counterexample as a KVM selftest (C). The file is a
 * replay file (check --save) or a matrix JSON (matrix --format json) with --policy, --profile,
 * --scenario and --property naming one violated cell. With --out-dir, every selected violated
 * cell's (policy, property) gets its shortest counterexample exported into that folder. Exit 0,
 * 1 when a counterexample no longer replays, 2 for a usage error.
 */
export async function exportSelftestCommand(v: Values, args: string[], io: Io): Promise<number> {
  const file = args[0] as string;
  const outDir = v.outDir as string | undefined;
  checkOut(v.out as string | undefined);
  if (outDir !== undefined && v.out !== undefined) throw new UsageError("give --out or --out-dir, not both");
  if (outDir !== undefined && !(existsSync(outDir) && statSync(outDir).isDirectory()))
    throw new UsageError(`--out-dir ${outDir}: not a folder; create it first`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(
      `cannot read ${file}; give a replay file ('switchlab check --save') or a matrix JSON ('switchlab matrix --format json')`,
    );
  }
  let doc: { schema?: unknown };
  try {
    doc = JSON.parse(text) as { schema?: unknown };
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  let todo: Counterexample[];
  if (doc?.schema === REPLAY_SCHEMA) todo = [fromReplayFile(text, file, v)];
  else if (doc?.schema === MATRIX_SCHEMA) {
    let m: MatrixResult;
    try {
      m = fromJsonForm(doc);
    } catch (e) {
      if (e instanceof MatrixJsonError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    const cells = selectCells(m, v);
    if (outDir === undefined && cells.length > 1)
      throw new UsageError(
        `${cells.length} violated cells match; name one with --policy, --profile, --scenario and --property, or export the shortest of each policy and property with --out-dir`,
      );
    todo = (outDir === undefined ? cells : shortestPerPolicyProperty(cells)).map(fromCell);
  } else
    throw new UsageError(
      `${file}: not a replay file (${REPLAY_SCHEMA}) or a matrix (${MATRIX_SCHEMA}); schema: ${JSON.stringify(doc?.schema ?? null)}`,
    );
  const catalog = await loadCatalog();
  for (const x of todo) {
    let c: string;
    try {
      c = render(catalog, x);
    } catch (e) {
      if (e instanceof ReplayDivergence) {
        io.err(`switchlab: ${file}: ${x.policy} ${x.scenario} ${x.property}: replay diverged: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    if (outDir !== undefined) {
      const path = join(outDir, selftestFileName(x));
      await writeAtomic(path, c);
      io.out(`${path}\n`);
    } else if (v.out) await writeAtomic(v.out as string, c);
    else io.out(c);
  }
  return 0;
}
