import { accessSync, constants, existsSync, lstatSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import {
  findScenarioRow,
  KERNEL_VERSIONS,
  type KernelChoice,
  parseKernelChoice,
  type Strategy,
  scenarioRows,
} from "@switchlab/conformance";
import { type Bounds, DEFAULT_BOUNDS } from "@switchlab/explorer";
import {
  type AnyAssumption,
  ASSUMPTIONS,
  AssumptionError,
  type AssumptionOverrides,
  argOf,
  parseRaw,
  type Scenario,
  scenarioBaseId,
  withAssumptions,
} from "@switchlab/model";
import type { Command } from "commander";
import { UsageError } from "./io.js";

/** The plural of an id kind, for messages. */
export function plural(kind: string): string {
  return kind === "policy" ? "policies" : kind === "property" ? "properties" : `${kind}s`;
}

/** Pick the items named in a comma list, or all of them; an unknown id is a usage error listing the valid ones. */
export function selectIds<T extends { id: string }>(kind: string, all: readonly T[], list: string | undefined): T[] {
  if (list === undefined) return [...all];
  const ids = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw emptySelection(kind, list, all);
  return ids.map((id) => {
    const x = all.find((a) => a.id === id);
    if (!x)
      throw new UsageError(
        `unknown ${kind} '${id}'; valid ${plural(kind)}: ${all.map((a) => a.id).join(", ") || "(none)"}`,
      );
    return x;
  });
}

/** --kernel (or SWITCHLAB_KERNEL): the versions every scenario runs at, or undefined for the default rows. */
export function kernelsFrom(v: Values): KernelChoice[] | undefined {
  const got = fromOptionOrEnv(v, "kernel", "SWITCHLAB_KERNEL");
  if (!got) return undefined;
  const out: KernelChoice[] = [];
  for (const raw of got.raw
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const k = parseKernelChoice(raw);
    if (!k)
      throw new UsageError(
        `${got.from}: unknown kernel version '${raw}'; modelled versions: ${KERNEL_VERSIONS.join(", ")}, or own (each scenario's own)`,
      );
    out.push(k);
  }
  if (out.length === 0)
    throw new UsageError(`${got.from} needs at least one version (${KERNEL_VERSIONS.join(", ")}, own)`);
  return out;
}

/**
 * The scenario rows a command runs: the catalog's (each scenario at its own version and at
 * v7.3), or every scenario at each --kernel version; --scenario names a row exactly
 * (`throttle-window@v7.3`) or a scenario at every selected version (`throttle-window`).
 */
export function selectScenarios(catalog: { readonly scenarios: readonly Scenario[] }, v: Values): Scenario[] {
  const kernels = kernelsFrom(v);
  const rows = kernels ? scenarioRows(kernels) : [...catalog.scenarios];
  const list = str(v, "scenario");
  if (list === undefined) return rows;
  const ids = list
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  if (ids.length === 0) throw emptySelection("scenario", list, rows);
  const out: Scenario[] = [];
  for (const id of ids) {
    const found = rows.filter((r) => r.id === id || scenarioBaseId(r) === id);
    const extra = found.length ? found : [findScenarioRow(id)].filter((x): x is Scenario => x !== undefined);
    if (!extra.length) {
      const bases = [...new Set(rows.map((r) => scenarioBaseId(r)))];
      throw new UsageError(
        `unknown scenario '${id}'; valid scenarios: ${bases.join(", ")} (add @${KERNEL_VERSIONS.join(", @")} for one kernel version)`,
      );
    }
    for (const x of extra) if (!out.some((o) => o.id === x.id)) out.push(x);
  }
  return out;
}

/** `--policy ,` or `--profile " "`: a selection of nothing is a mistake, never an empty run that passes. */
function emptySelection(kind: string, list: string, all: readonly { id: string }[]): UsageError {
  return new UsageError(
    `--${kind} ${JSON.stringify(list)} names no ${kind}; give one or more of: ${[...new Set(all.map((a) => a.id.replace(/@.*$/, "")))].join(", ") || "(none)"}`,
  );
}

export function oneOf(name: string, value: string | undefined, allowed: readonly string[]): string {
  const v = value ?? allowed[0]!;
  if (!allowed.includes(v)) throw new UsageError(`unknown ${name} '${v}'; valid: ${allowed.join(", ")}`);
  return v;
}

/** A non-negative integer given as an option or an environment variable. */
function count(name: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}

/** Parsed option values, as commander gives them (strings, booleans). */
export type Values = Record<string, string | boolean | undefined>;

const str = (v: Values, k: string): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);

/** An option's value, else its environment variable's: `{ raw, from }` for messages. */
function fromOptionOrEnv(
  v: Values,
  option: string | undefined,
  env: string | undefined,
): { raw: string; from: string } | undefined {
  const o = option === undefined ? undefined : str(v, camel(option));
  if (o !== undefined) return { raw: o, from: `--${option}` };
  const e = env ? process.env[env] : undefined;
  if (e !== undefined && e !== "") return { raw: e, from: env as string };
  return undefined;
}

export function camel(option: string): string {
  return option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The explorer's bounds as the CLI sets them: option, environment variable, default. */
const BOUND_SOURCES: readonly { key: keyof Bounds; option?: string; env: string }[] = [
  { key: "maxDepth", option: "max-depth", env: "SWITCHLAB_MAX_DEPTH" },
  { key: "maxStates", option: "max-states", env: "SWITCHLAB_MAX_STATES" },
  { key: "timeLimitMs", env: "SWITCHLAB_TIME_LIMIT_MS" },
];

/** Bounds: the defaults, then the environment, then --max-depth / --max-states. */
export function boundsFrom(v: Values): Bounds {
  const out: Record<keyof Bounds, number> = { ...DEFAULT_BOUNDS };
  for (const b of BOUND_SOURCES) {
    const got = fromOptionOrEnv(v, b.option, b.env);
    if (got) out[b.key] = count(got.from, got.raw);
  }
  return out;
}

/**
 * The assumption overrides given on the command line or in the environment: each assumption's
 * record (model/src/assumptions/) names its option and variable and parses the raw string; a
 * string it cannot parse is a usage error naming where it came from.
 */
export function assumptionsFrom(v: Values, list: readonly AnyAssumption[] = ASSUMPTIONS): AssumptionOverrides {
  const out: Record<string, unknown> = {};
  for (const a of list) {
    const got = fromOptionOrEnv(v, a.flag.slice(2), a.env);
    if (!got) continue;
    const r = parseRaw(a, got.raw);
    if ("problem" in r) throw new UsageError(`${got.from} ${r.problem}`);
    out[a.id] = r.value;
  }
  return out as AssumptionOverrides;
}

/** Scenarios with the overrides applied; a value a field cannot hold is a usage error naming the option. */
export function applyAssumptions(
  scenarios: readonly Scenario[],
  o: AssumptionOverrides | Readonly<Record<string, unknown>>,
  list: readonly AnyAssumption[] = ASSUMPTIONS,
): Scenario[] {
  try {
    return scenarios.map((s) => withAssumptions(s, o, list));
  } catch (e) {
    if (e instanceof AssumptionError) throw new UsageError(`${e.assumption.flag} ${e.problem}`);
    throw e;
  }
}

/** --strategy bfs|dfs|random [--seed N] [--walks N]. */
export function strategyFrom(v: Values): Strategy {
  const kind = oneOf("strategy", str(v, "strategy"), ["bfs", "dfs", "random"]);
  const seed = str(v, "seed");
  const walks = str(v, "walks");
  const keep = v.keepDeadValues === true ? ({ keepDeadValues: true } as const) : {};
  if (kind === "random")
    return {
      kind,
      seed: seed === undefined ? 1 : count("--seed", seed),
      walks: walks === undefined ? 1000 : count("--walks", walks),
      ...keep,
    };
  if (seed !== undefined || walks !== undefined) throw new UsageError("--seed and --walks go with --strategy random");
  if (v.chains === true) {
    if (kind !== "bfs") throw new UsageError("--chains goes with --strategy bfs");
    return { kind: "bfs", chains: true, ...keep };
  }
  return { kind: kind as "bfs" | "dfs", ...keep };
}

/** The verdicts --fail-on can name; --fail-on alone means all four. */
export const FAIL_KINDS = ["violated", "unknown", "vacuous", "error"] as const;

/** --fail-on [kinds]: undefined when absent. */
export function failOnFrom(v: Values): ReadonlySet<string> | undefined {
  const f = v.failOn;
  if (f === undefined || f === false) return undefined;
  if (f === true) return new Set(FAIL_KINDS);
  const kinds = f
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  for (const k of kinds) oneOf("--fail-on value", k, FAIL_KINDS);
  return new Set(kinds);
}

/** Refuse an --out that cannot be written, before any work: a missing folder, or a folder. */
export function checkOut(path: string | undefined): void {
  if (path === undefined) return;
  const full = resolve(path);
  const here = existsSync(full) || isLink(full) ? lstatSync(full) : undefined;
  if (here?.isDirectory()) throw new UsageError(`--out ${path} is a directory; give a file name`);
  // The file is replaced by a rename: never do that to a link, a FIFO, a socket or a device.
  if (here && !here.isFile())
    throw new UsageError(
      `--out ${path} is ${here.isSymbolicLink() ? "a symbolic link" : "not a regular file (a FIFO, socket or device)"}; give a path to a regular file`,
    );
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--out ${path}: the folder ${dir} does not exist; create it first`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${path}: the folder ${dir} is not writable; choose another folder`);
  }
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Options every exploring command takes: which rows, how far, under which assumptions. */
export function rowOptions(c: Command): Command {
  return c
    .option("--policy <ids>", "policies (comma list; default: all)")
    .option("--profile <ids>", "hardware profiles (comma list; default: all)")
    .option("--scenario <ids>", "scenarios (comma list; default: all); <id>@<kernel> names one version's row")
    .option(
      "--kernel <versions>",
      `kernel versions every scenario runs at (comma list of ${KERNEL_VERSIONS.join(", ")}, own; default: own,v7.3; or SWITCHLAB_KERNEL)`,
    )
    .option("--profile-file <file>", "more hardware profiles, from JSON");
}

/** One option per assumption (model/src/assumptions/ explains the defaults), each printed with the result. */
export function assumptionOptions(c: Command, list: readonly AnyAssumption[] = ASSUMPTIONS): Command {
  for (const a of list) c.option(`${a.flag} ${argOf(a)}`, `${a.help} (or ${a.env})`);
  return c;
}

export function boundOptions(c: Command): Command {
  return c
    .option("--max-depth <n>", `longest path explored (default ${DEFAULT_BOUNDS.maxDepth}, or SWITCHLAB_MAX_DEPTH)`)
    .option("--max-states <n>", `most distinct states (default ${DEFAULT_BOUNDS.maxStates}, or SWITCHLAB_MAX_STATES)`)
    .option("--strategy <name>", "bfs (default; shortest counterexamples), dfs, or random")
    .option("--seed <n>", "random walks: the seed")
    .option("--walks <n>", "random walks: how many")
    .option(
      "--chains",
      "bfs: store only states with no choice or several (fewer states stored, more time; the same verdicts)",
    )
    .option("--exact", "keep every state's words: no two states can share a fingerprint")
    .option(
      "--keep-dead-values",
      "store last_nmi_rip and KVM's exit reason also where nothing reads them before they are next written (more states; the same verdicts)",
    );
}

/** A row's time limit when --row-timeout is not given, in seconds (a row of the default matrix takes under 10 s here). */
export const DEFAULT_ROW_TIMEOUT_S = 300;

/** The longest row timeout Node's timers can hold, in whole seconds ((2^31 - 1) ms). */
export const MAX_ROW_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);
/** More workers than this only costs memory (each holds the model and a plugin). */
const MAX_JOBS = 256;

/** --jobs N (or SWITCHLAB_JOBS; default: the cores) and --row-timeout S (or SWITCHLAB_ROW_TIMEOUT; 0: none), for the worker pool. */
export function poolFrom(v: Values, root: string, policies: readonly { id: string }[], log?: (t: string) => void) {
  const j = fromOptionOrEnv(v, "jobs", "SWITCHLAB_JOBS");
  const jobs = j === undefined ? Math.max(1, availableParallelism()) : count(j.from, j.raw);
  if (jobs < 1) throw new UsageError("--jobs must be at least 1");
  if (jobs > MAX_JOBS) throw new UsageError(`--jobs must be at most ${MAX_JOBS}, got ${jobs}`);
  const t = fromOptionOrEnv(v, "row-timeout", "SWITCHLAB_ROW_TIMEOUT");
  const seconds = t ? count(t.from, t.raw) : DEFAULT_ROW_TIMEOUT_S;
  // Node's timers take at most 2^31 - 1 ms; a longer one would fire at once and end every row.
  if (seconds > MAX_ROW_TIMEOUT_S)
    throw new UsageError(
      `${t?.from ?? "--row-timeout"} must be at most ${MAX_ROW_TIMEOUT_S} s (0: none), got ${seconds}`,
    );
  return {
    root,
    jobs,
    rowTimeoutMs: seconds * 1000,
    paths: new Map(policies.map((p) => [p.id, join(root, "policies", p.id)])),
    ...(log ? { log } : {}),
  };
}
