import { parseArgs } from "node:util";
import { PROPERTIES, runCell, runMatrix } from "@switchlab/conformance";
import { createRootContainer, REPLAY_SCHEMA } from "@switchlab/model";
import { loadCatalogWith } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import {
  BOUND_OPTIONS,
  boundsFrom,
  oneOf,
  plural,
  ROW_OPTIONS,
  selectIds,
  strategyFrom,
  withBudgets,
} from "../options.js";
import { writeAtomic } from "../write-atomic.js";
import { FORMATS, render } from "./matrix.js";

function one<T extends { id: string }>(kind: string, all: readonly T[], v: string | undefined): T {
  if (!v) throw new UsageError(`--${kind} is required; valid ${plural(kind)}: ${all.map((x) => x.id).join(", ")}`);
  const [x, ...rest] = selectIds(kind, all, v);
  if (!x || rest.length) throw new UsageError(`--${kind} takes one id`);
  return x;
}

/**
 * `switchlab check --policy P --profile H --scenario S [--property X] [--save file]`: explore one
 * row and print each property's verdict, with the shortest counterexample trace of every
 * violation (or of the one property asked for). `--save` writes the counterexample as a replay
 * file. Exit codes as for matrix.
 */
export async function checkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...ROW_OPTIONS,
      property: { type: "string" },
      save: { type: "string" },
      ...BOUND_OPTIONS,
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const format = oneOf("format", values.format, FORMATS);
  const failOn =
    values["fail-on"] === undefined ? undefined : oneOf("--fail-on value", values["fail-on"], ["violated"]);
  const catalog = await loadCatalogWith(values["profile-file"]);
  const policy = one("policy", catalog.policies, values.policy);
  const profile = one("profile", catalog.profiles, values.profile);
  const scenario = withBudgets(one("scenario", catalog.scenarios, values.scenario), values);
  const props = values.property ? selectIds("property", PROPERTIES, values.property) : [...PROPERTIES];
  const bounds = boundsFrom(values);
  const strategy = strategyFrom(values);
  if (format !== "text" && format !== "json") {
    // The report formats draw from the matrix data: a matrix of this one row.
    const m = runMatrix({ policies: [policy], profiles: [profile], scenarios: [scenario], bounds, strategy });
    const text = render(format, m);
    if (values.out) await writeAtomic(values.out, text);
    else io.out(text);
    return failOn && m.cells.some((c) => c.verdict === "violated" || c.verdict === "error") ? 1 : 0;
  }
  const r = runCell(createRootContainer(), policy, profile, scenario, bounds, props, strategy);
  if (format === "json") io.out(`${JSON.stringify({ cells: r.cells, guards: r.guards }, null, 2)}\n`);
  else {
    const first = r.cells[0];
    io.out(
      `check ${policy.id} / ${profile.id} / ${scenario.id}: ${first?.states} states, ${first?.transitions} transitions, ${first?.complete ? "complete" : first?.bound ? `not complete (${first.bound.name} = ${first.bound.value} hit: ${first.bound.hint}; raise it with ${first.bound.env})` : "not complete (sampled by random walks)"}\n`,
    );
    for (const c of r.cells) {
      io.out(
        `  ${c.property.padEnd(24)} ${c.verdict}${c.longest !== undefined ? ` (longest stale run: ${c.longest} round trips)` : ""}${c.message ? ` (${c.message})` : ""}\n`,
      );
    }
    for (const g of r.guards)
      io.out(`  guard ${g.guard}: ${g.reached ? "reached" : "NOT reached (passes above may be vacuous)"}\n`);
    for (const c of r.cells) {
      if (!c.counterexample) continue;
      io.out(`\n${c.property} violated: ${c.counterexample.symptom}\nreproduce: ${c.counterexample.reproduce}\n`);
      io.out(`${c.counterexample.trace.join("\n")}\n`);
    }
  }
  if (values.save) {
    const c = r.cells.find((x) => x.counterexample);
    if (!c?.counterexample)
      throw new UsageError(
        `--save: no property is violated on this row${values.property ? ` (--property ${values.property})` : ""}, so there is no counterexample to save`,
      );
    const file = {
      schema: REPLAY_SCHEMA,
      title: `${c.property} violated: ${c.counterexample.symptom}`,
      policy: policy.id,
      profile: profile.id,
      scenario: scenario.id,
      choices: c.counterexample.actions,
    };
    await writeAtomic(values.save, `${JSON.stringify(file, null, 2)}\n`);
    io.err(
      `switchlab: saved the ${c.property} counterexample to ${values.save}; replay it with: pnpm switchlab replay ${values.save}\n`,
    );
  }
  if (failOn && r.cells.some((c) => c.verdict === "violated" || c.verdict === "error")) return 1;
  return 0;
}
