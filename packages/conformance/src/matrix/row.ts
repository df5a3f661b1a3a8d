/**
 * A row of the matrix: one exploration, of one policy on one CPU in one scenario row (the
 * scenario row carries its kernel and its assumptions). Every key and name of a row or a cell is
 * a function of it, here: maps and sets use rowKey, expected.json and the reports name a row
 * within a policy as rowName and a cell as cellName, and reproduceLine is the command that
 * explores it again; shard merging (shard.ts) and the row cache's cost entries group by rowKey.
 * The row cache and the frontier cache key a result by what the row is made of, as data (the
 * scenario row with its kernel and assumptions, the profile's fields, the code), not by its name:
 * a name says which row, not what it computes.
 */
export interface Row {
  readonly policy: string;
  readonly profile: string;
  readonly scenario: string;
}

/** A row's identity, for maps and sets. */
export function rowKey(r: Row): string {
  return `${r.policy}\u0000${r.profile}\u0000${r.scenario}`;
}

/** A row's name within one policy: `profile/scenario` (expected.json's state keys). */
export function rowName(r: Pick<Row, "profile" | "scenario">): string {
  return `${r.profile}/${r.scenario}`;
}

/** A cell's name within one policy: `profile/scenario/property` (expected.json's verdict keys). */
export function cellName(c: Pick<Row, "profile" | "scenario"> & { readonly property: string }): string {
  return `${rowName(c)}/${c.property}`;
}

/** A cell's place across policies: (profile, scenario, property), for comparing policies cell by cell. */
export function placeKey(c: Pick<Row, "profile" | "scenario"> & { readonly property: string }): string {
  return `${c.profile}\u0000${c.scenario}\u0000${c.property}`;
}

/** The place a placeKey names. */
export function placeOf(key: string): { profile: string; scenario: string; property: string } {
  const [profile = "", scenario = "", property = ""] = key.split("\u0000");
  return { profile, scenario, property };
}

/** The command line that reproduces a cell's counterexample (with the assumptions it ran under). */
export function reproduceLine(r: Row, property: string, flags: readonly string[] = []): string {
  return [
    `pnpm switchlab check --policy ${r.policy} --profile ${r.profile} --scenario ${r.scenario} --property ${property}`,
    ...flags,
  ].join(" ");
}
