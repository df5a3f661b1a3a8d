import { PROPERTIES, runMatrix } from "@switchlab/conformance";
import { buildCell, createRootContainer, REPLAY_SCHEMA, replay } from "@switchlab/model";
import { renderCheckText } from "@switchlab/report";
import { loadCatalogWith } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import {
  applyAssumptions,
  assumptionsFrom,
  boundsFrom,
  checkOut,
  failOnFrom,
  oneOf,
  plural,
  selectIds,
  selectScenarios,
  strategyFrom,
  type Values,
} from "../options.js";
import { writeAtomic } from "../write-atomic.js";
import { FORMATS, failed, render } from "./matrix.js";

function one<T extends { id: string }>(kind: string, all: readonly T[], v: unknown): T {
  if (typeof v !== "string" || !v)
    throw new UsageError(`--${kind} is required; valid ${plural(kind)}: ${all.map((x) => x.id).join(", ")}`);
  const [x, ...rest] = selectIds(kind, all, v);
  if (!x || rest.length) throw new UsageError(`--${kind} takes one id`);
  return x;
}

/**
 * `switchlab check --policy P --profile H --scenario S [--property X] [--save file]`: explore one
 * row and print each property's verdict, with the shortest counterexample trace of every
 * violation (or of the one property asked for); any matrix format, to stdout or --out. `--save`
 * writes the counterexample as a replay file. Exit codes as for matrix.
 */
export async function checkCommand(v: Values, _args: string[], io: Io): Promise<number> {
  const format = oneOf("format", v.format as string | undefined, FORMATS);
  const failOn = failOnFrom(v);
  checkOut(v.out as string | undefined);
  checkOut(v.save as string | undefined);
  const catalog = await loadCatalogWith(v.profileFile as string | undefined);
  const policy = one("policy", catalog.policies, v.policy);
  const profile = one("profile", catalog.profiles, v.profile);
  if (typeof v.scenario !== "string" || !v.scenario)
    throw new UsageError(`--scenario is required; valid scenarios: ${catalog.scenarios.map((x) => x.id).join(", ")}`);
  const named = selectScenarios(catalog, v);
  // A scenario named by its own id is its row at its own version, unless --kernel picks others.
  const exact = named.filter((x) => x.id === v.scenario);
  const picked = exact.length === 1 ? exact : named;
  if (picked.length !== 1)
    throw new UsageError(
      `--scenario takes one row; '${v.scenario}' names ${picked.map((x) => x.id).join(", ")}: give one of them`,
    );
  const [scenario] = applyAssumptions(picked, assumptionsFrom(v));
  const only = v.property ? selectIds("property", PROPERTIES, v.property as string).map((p) => p.id) : undefined;
  const m = runMatrix({
    policies: [policy],
    profiles: [profile],
    scenarios: [scenario as NonNullable<typeof scenario>],
    bounds: boundsFrom(v),
    strategy: strategyFrom(v),
    exact: v.exact === true,
    problems: catalog.problems,
  });
  // One row: its traces are what check is for, so e-mail and Markdown come in their long form.
  const text = format === "text" ? renderCheckText(m, only) : render(format, m, { full: true });
  if (v.out) await writeAtomic(v.out as string, text);
  else io.out(text);
  if (v.save) {
    const c = m.cells.find((x) => x.counterexample && (!only || only.includes(x.property)));
    if (!c?.counterexample)
      throw new UsageError(
        `--save: no property is violated on this row${v.property ? ` (--property ${v.property})` : ""}, so there is no counterexample to save`,
      );
    const file = {
      schema: REPLAY_SCHEMA,
      title: `${c.property} violated: ${c.counterexample.symptom}`,
      policy: policy.id,
      profile: profile.id,
      scenario: (scenario as NonNullable<typeof scenario>).id,
      assumptions: c.assumptions,
      choices: c.counterexample.actions,
      // The symptoms the run ends with, so a replay fails once the model stops showing them.
      expect: {
        symptoms: replay(
          buildCell(createRootContainer(), policy, profile, scenario as NonNullable<typeof scenario>),
          c.counterexample.actions,
        ).symptoms.map((s) => s.id),
      },
    };
    await writeAtomic(v.save as string, `${JSON.stringify(file, null, 2)}\n`);
    io.err(
      `switchlab: saved the ${c.property} counterexample to ${v.save}; replay it with: pnpm switchlab replay ${v.save}\n`,
    );
  }
  // --fail-on judges the properties asked for (all of them without --property).
  return failed({ ...m, cells: m.cells.filter((c) => !only || only.includes(c.property)) }, failOn) ? 1 : 0;
}
