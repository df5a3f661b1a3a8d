import type { MatrixCell, MatrixResult } from "../matrix/contract.js";
import { placeKey, rowName } from "../matrix/row.js";

/**
 * The answer a kernel developer runs the matrix for, derived from its cells: for each candidate,
 * per kernel version and CPU class, whether it closes the 2021 race where `original` (upstream at
 * the row's kernel) has it; what it breaks that original at the same row does not (patch-caused
 * failures); its cost per round trip against original's; and, once, the findings every policy of
 * the run shares (independent of the patch). Nothing here explores: every figure is counted from
 * the cells, so the text, Markdown, HTML and JSON answers agree.
 */

/** The policy every candidate is compared with. */
export const BASELINE = "original";

/**
 * The properties whose violation is the 2021 race or its direct consequences: a stale
 * PEBS_ENABLE bit restored at VM-exit, living on, live in VMX non-root, faulting the guest at
 * DS_AREA + 0x38, or doubling a PMI with EVTSEL.INT.
 */
export const RACE_PROPERTIES: readonly string[] = [
  "host-pebs-enable-fresh",
  "stale-bit-bounded",
  "no-host-pebs-in-guest",
  "no-guest-pf-on-host-ds",
  "no-pebs-with-int",
];

/** The classes of CPU behaviour the answer is given for. */
export type CpuClass = "no-isolation" | "isolation" | "mediated";

/** A column of the answer: a kernel version and a CPU class. */
export interface AnswerGroup {
  readonly kernel: string;
  readonly cpu: CpuClass;
}

/**
 * A candidate in one group. `race`: `closed` when every race cell original fails there holds;
 * `partial` when some of them hold and some still fail; `open` when every one still fails;
 * `absent` when original fails none there (nothing to close); `not-proven` when none fails but
 * one is unknown, vacuous or in error.
 */
export interface GroupAnswer extends AnswerGroup {
  readonly race: "closed" | "partial" | "open" | "absent" | "not-proven";
  /** Cells the candidate fails and original at the same row passes. */
  readonly breaks: number;
  /** Cells original fails and the candidate passes. */
  readonly fixes: number;
}

/** What a candidate breaks: one property, the groups it fails in, and its shortest counterexample. */
export interface Breakage {
  readonly property: string;
  readonly groups: readonly AnswerGroup[];
  readonly cells: number;
  /** The broken cell with the shortest counterexample. */
  readonly example: MatrixCell;
}

export interface CandidateAnswer {
  readonly policy: string;
  readonly groups: readonly GroupAnswer[];
  /** Closes the race in every group where original has it, and breaks nothing. */
  readonly standing: "closes-race-breaks-nothing" | "closes-race-breaks-something" | "race-open" | "baseline";
  readonly breakages: readonly Breakage[];
  /** Median cycles and MSR writes per round trip over the run's rows, and the difference from original's. */
  readonly cost?: {
    readonly cycles: number;
    readonly writes: number;
    readonly deltaCycles?: number;
    readonly deltaWrites?: number;
  };
}

/** A finding every policy of the run shares on a row: independent of the patch, reported once. */
export interface SharedFinding {
  readonly property: string;
  /** The scenarios (base ids, without @kernel) it shows in. */
  readonly scenarios: readonly string[];
  readonly groups: readonly AnswerGroup[];
  /** Cells per policy. */
  readonly cells: number;
  /** original's cell with the shortest counterexample. */
  readonly example: MatrixCell;
}

export interface Answer {
  /** Whether the run holds original; without it, no candidate can be compared. */
  readonly baseline: boolean;
  readonly groups: readonly AnswerGroup[];
  readonly candidates: readonly CandidateAnswer[];
  readonly shared: readonly SharedFinding[];
}

const KERNEL_ORDER = (k: string) => k.replace(/^v/, "").split(".").map(Number);
const byKernel = (a: string, b: string) => {
  const x = KERNEL_ORDER(a);
  const y = KERNEL_ORDER(b);
  return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0);
};
const CPU_ORDER: readonly CpuClass[] = ["no-isolation", "isolation", "mediated"];
const groupKey = (g: AnswerGroup) => `${g.kernel} ${g.cpu}`;
const FAILED = (v: string | undefined) => v === "violated";
const NOT_PROVEN = (v: string | undefined) => v === "unknown" || v === "vacuous" || v === "error";
const shorter = (a: MatrixCell, b: MatrixCell) =>
  (b.counterexample?.actions.length ?? Number.POSITIVE_INFINITY) <
  (a.counterexample?.actions.length ?? Number.POSITIVE_INFINITY)
    ? b
    : a;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] as number);
}

/** The group of a cell: its scenario's kernel and switch path, its profile's isolation. */
export function groupOf(m: MatrixResult): (c: Pick<MatrixCell, "profile" | "scenario">) => AnswerGroup {
  const sc = new Map(m.scenarios.map((s) => [s.id, s]));
  const noIso = new Map(m.profiles.map((p) => [p.id, p.pebsNoIsolation]));
  const cache = new Map<string, AnswerGroup>();
  return (c) => {
    const k = rowName(c);
    let g = cache.get(k);
    if (!g) {
      const s = sc.get(c.scenario);
      const cpu: CpuClass =
        s?.switchPath === "mediated" ? "mediated" : noIso.get(c.profile) ? "no-isolation" : "isolation";
      g = { kernel: s?.kernel ?? "?", cpu };
      cache.set(k, g);
    }
    return g;
  };
}

/** The rows (profile, scenario, property) every policy of the run fails: independent of the patch. */
export function sharedFailures(m: MatrixResult): ReadonlySet<string> {
  const out = new Set<string>();
  if (m.policies.length < 2 || !m.policies.some((p) => p.id === BASELINE)) return out;
  const failing = new Map<string, number>();
  for (const c of m.cells) if (FAILED(c.verdict)) failing.set(placeKey(c), (failing.get(placeKey(c)) ?? 0) + 1);
  for (const [k, n] of failing) if (n === m.policies.length) out.add(k);
  return out;
}

/** The answer of a matrix (see the file's comment). */
export function answerOf(m: MatrixResult): Answer {
  const group = groupOf(m);
  const groups = new Map<string, AnswerGroup>();
  for (const c of m.cells) {
    const g = group(c);
    groups.set(groupKey(g), g);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => byKernel(a.kernel, b.kernel) || CPU_ORDER.indexOf(a.cpu) - CPU_ORDER.indexOf(b.cpu),
  );
  const base = new Map<string, string>();
  for (const c of m.cells) if (c.policy === BASELINE) base.set(placeKey(c), c.verdict);
  const hasBaseline = base.size > 0;
  const shared = sharedFailures(m);
  const inOrder = (gs: Map<string, AnswerGroup>) => ordered.filter((g) => gs.has(groupKey(g)));

  const baseCost = costOf(m, BASELINE);
  const candidates: CandidateAnswer[] = m.policies.map(({ id }) => {
    const cells = m.cells.filter((c) => c.policy === id);
    const per = new Map<
      string,
      { raceInBase: number; stillFails: number; notProven: boolean; breaks: number; fixes: number }
    >();
    const broken = new Map<string, { groups: Map<string, AnswerGroup>; cells: number; example: MatrixCell }>();
    for (const c of cells) {
      const g = group(c);
      const k = groupKey(g);
      const e = per.get(k) ?? { raceInBase: 0, stillFails: 0, notProven: false, breaks: 0, fixes: 0 };
      per.set(k, e);
      const b = base.get(placeKey(c));
      const race = RACE_PROPERTIES.includes(c.property);
      if (race && FAILED(b)) {
        e.raceInBase++;
        if (FAILED(c.verdict)) e.stillFails++;
        if (NOT_PROVEN(c.verdict)) e.notProven = true;
      }
      if (id === BASELINE || !hasBaseline) continue;
      if (FAILED(c.verdict) && b === "holds") {
        e.breaks++;
        const x = broken.get(c.property) ?? { groups: new Map(), cells: 0, example: c };
        x.groups.set(k, g);
        x.cells++;
        x.example = shorter(x.example, c);
        broken.set(c.property, x);
      }
      if (FAILED(b) && c.verdict === "holds") e.fixes++;
    }
    const gs: GroupAnswer[] = ordered.map((g) => {
      const e = per.get(groupKey(g));
      const race =
        !e || e.raceInBase === 0
          ? "absent"
          : e.stillFails === e.raceInBase
            ? "open"
            : e.stillFails > 0
              ? "partial"
              : e.notProven
                ? "not-proven"
                : "closed";
      return { ...g, race, breaks: e?.breaks ?? 0, fixes: e?.fixes ?? 0 };
    });
    const breakages: Breakage[] = [...broken]
      .map(([property, x]) => ({ property, groups: inOrder(x.groups), cells: x.cells, example: x.example }))
      .sort((a, b) => b.cells - a.cells || a.property.localeCompare(b.property));
    const closes = gs.every((g) => g.race === "absent" || g.race === "closed") && gs.some((g) => g.race === "closed");
    const standing =
      id === BASELINE
        ? "baseline"
        : closes
          ? breakages.length === 0
            ? "closes-race-breaks-nothing"
            : "closes-race-breaks-something"
          : "race-open";
    const own = costOf(m, id);
    const cost = own
      ? {
          ...own,
          ...(baseCost && id !== BASELINE
            ? { deltaCycles: own.cycles - baseCost.cycles, deltaWrites: own.writes - baseCost.writes }
            : {}),
        }
      : undefined;
    return { policy: id, groups: gs, standing, breakages, ...(cost ? { cost } : {}) };
  });
  const rank = { "closes-race-breaks-nothing": 0, "closes-race-breaks-something": 1, "race-open": 2, baseline: 3 };
  const breaksOf = (c: CandidateAnswer) => c.breakages.reduce((n, b) => n + b.cells, 0);
  candidates.sort(
    (a, b) =>
      rank[a.standing] - rank[b.standing] ||
      breaksOf(a) - breaksOf(b) ||
      (a.cost?.cycles ?? 0) - (b.cost?.cycles ?? 0) ||
      a.policy.localeCompare(b.policy),
  );
  return { baseline: hasBaseline, groups: ordered, candidates, shared: sharedFindings(m, shared, group, inOrder) };
}

/** The shared failures, grouped by property and the set of groups they show in; original's cells as examples. */
function sharedFindings(
  m: MatrixResult,
  shared: ReadonlySet<string>,
  group: (c: MatrixCell) => AnswerGroup,
  inOrder: (gs: Map<string, AnswerGroup>) => AnswerGroup[],
): SharedFinding[] {
  const by = new Map<
    string,
    { groups: Map<string, AnswerGroup>; scenarios: Set<string>; cells: number; example: MatrixCell }
  >();
  for (const c of m.cells) {
    if (c.policy !== BASELINE || !shared.has(placeKey(c))) continue;
    const x = by.get(c.property) ?? { groups: new Map(), scenarios: new Set(), cells: 0, example: c };
    const g = group(c);
    x.groups.set(groupKey(g), g);
    x.scenarios.add(c.scenario.replace(/@.*$/, ""));
    x.cells++;
    x.example = shorter(x.example, c);
    by.set(c.property, x);
  }
  return [...by]
    .map(([property, x]) => ({
      property,
      scenarios: [...x.scenarios].sort(),
      groups: inOrder(x.groups),
      cells: x.cells,
      example: x.example,
    }))
    .sort((a, b) => b.cells - a.cells || a.property.localeCompare(b.property));
}

/** A policy's median cycles and MSR writes per round trip over the run's rows. */
function costOf(m: MatrixResult, policy: string): { cycles: number; writes: number } | undefined {
  const rows = m.costs.filter((c) => c.policy === policy);
  if (rows.length === 0) return undefined;
  return {
    cycles: median(rows.map((r) => r.cyclesPerRoundtrip)),
    writes: median(rows.map((r) => r.msrWritesPerRoundtrip)),
  };
}
