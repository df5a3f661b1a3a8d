import { type MatrixCell, type MatrixResult, rowName } from "@switchlab/conformance";

/**
 * What a maintainer can post: the failing cells of a matrix, grouped. Each (policy, property)
 * that is violated somewhere gets one counterexample, the shortest (fewest choices; the first in
 * matrix order among equals), and the list of the other cells it stands for; each (policy,
 * message) of `error` cells is listed once with its rows. `--full` prints every cell instead.
 */
export interface ViolationGroup {
  readonly policy: string;
  readonly property: string;
  /** The shortest counterexample of the group. */
  readonly shown: MatrixCell;
  /** Every other violated cell of the same policy and property, in matrix order. */
  readonly others: readonly MatrixCell[];
}

export interface ErrorGroup {
  readonly policy: string;
  readonly message: string;
  /** The rows (profile/scenario) with this error, in matrix order. */
  readonly rows: readonly string[];
}

export function violationGroups(m: Pick<MatrixResult, "cells">): ViolationGroup[] {
  const by = new Map<string, MatrixCell[]>();
  for (const c of m.cells) {
    if (c.verdict !== "violated" || !c.counterexample) continue;
    const k = `${c.policy}\u0000${c.property}`;
    let g = by.get(k);
    if (!g) by.set(k, (g = []));
    g.push(c);
  }
  return [...by.values()].map((cells) => {
    const shown = cells.reduce((a, b) =>
      (b.counterexample?.actions.length ?? 0) < (a.counterexample?.actions.length ?? 0) ? b : a,
    );
    return { policy: shown.policy, property: shown.property, shown, others: cells.filter((c) => c !== shown) };
  });
}

export function errorGroups(m: Pick<MatrixResult, "cells">): ErrorGroup[] {
  const by = new Map<string, { policy: string; message: string; rows: string[] }>();
  for (const c of m.cells) {
    if (c.verdict !== "error") continue;
    const k = `${c.policy}\u0000${c.message ?? ""}`;
    let g = by.get(k);
    if (!g) by.set(k, (g = { policy: c.policy, message: c.message ?? "", rows: [] }));
    const row = rowName(c);
    if (!g.rows.includes(row)) g.rows.push(row);
  }
  return [...by.values()];
}

/**
 * The events of a counterexample that are not the run loop or a host activity moving on by one
 * step: overflows, latent PEBS assists, NMIs, ticks, perf scheduling and VM-exits, each with the
 * program point it happened at and its place in the path. The steps between them are what the
 * code does next; `switchlab check` replays the whole path.
 */
export function interleaving(actions: readonly string[]): string[] {
  const out: string[] = [];
  actions.forEach((a, i) => {
    if (a.includes("@")) out.push(`${i + 1}: ${a.replace("@", " at ")}`);
  });
  return out;
}

/** The other cells of a group as "scenario: profiles" phrases, scenario by scenario (`name` shortens a profile id). */
export function otherCells(cells: readonly MatrixCell[], name: (profile: string) => string = (p) => p): string[] {
  const by = new Map<string, string[]>();
  for (const c of cells) {
    let p = by.get(c.scenario);
    if (!p) by.set(c.scenario, (p = []));
    p.push(name(c.profile));
  }
  return [...by].map(([s, ps]) => `${s}: ${ps.join(" ")}`);
}

/** The reproduce line of a cell with another profile and scenario put in (the rest of the command unchanged). */
export function withRow(reproduce: string, c: MatrixCell): string {
  return reproduce
    .replace(/--profile \S+/, `--profile ${c.profile}`)
    .replace(/--scenario \S+/, `--scenario ${c.scenario}`);
}

/** "1 cell", "3 cells". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * Violation groups of several policies that fail a property in exactly the same cells, as one:
 * the group shown is original's when original is among them (else the first in matrix order),
 * with the other policies named. Compact reports print one block per entry.
 */
export function sharedViolationGroups(
  groups: readonly ViolationGroup[],
): { readonly group: ViolationGroup; readonly alsoPolicies: readonly string[] }[] {
  const key = (g: ViolationGroup) =>
    `${g.property}\u0000${[g.shown, ...g.others]
      .map((o) => `${o.profile}/${o.scenario}`)
      .sort()
      .join(" ")}`;
  const by = new Map<string, ViolationGroup[]>();
  for (const g of groups) {
    const list = by.get(key(g));
    if (!list) by.set(key(g), [g]);
    else if (g.policy === "original") list.unshift(g);
    else list.push(g);
  }
  return [...by.values()].map(([first, ...rest]) => ({
    group: first as ViolationGroup,
    alsoPolicies: rest.map((g) => g.policy),
  }));
}

/** The properties that mean something on a scenario: not `not-applicable` in every one of its cells. */
export function scenarioProperties(m: Pick<MatrixResult, "cells" | "properties">, scenario: string): string[] {
  const props = m.properties.map((p) => p.id);
  const applies = appliesOf(m.cells).get(scenario);
  const on = applies ? props.filter((p) => applies.has(p)) : [];
  return on.length ? on : props;
}

/** Each scenario's properties with a cell that is not `not-applicable`: one pass over the cells, kept per cell list. */
const APPLIES = new WeakMap<readonly MatrixCell[], Map<string, Set<string>>>();
function appliesOf(cells: readonly MatrixCell[]): Map<string, Set<string>> {
  let m = APPLIES.get(cells);
  if (!m) {
    m = new Map();
    for (const c of cells) {
      if (c.verdict === "not-applicable") continue;
      let s = m.get(c.scenario);
      if (!s) m.set(c.scenario, (s = new Set()));
      s.add(c.property);
    }
    APPLIES.set(cells, m);
  }
  return m;
}

/** The policy compact tables compare the others with: original when it is in the matrix. */
export function referencePolicy(m: Pick<MatrixResult, "policies">): string {
  return m.policies.some((p) => p.id === "original") ? "original" : (m.policies[0]?.id ?? "");
}
