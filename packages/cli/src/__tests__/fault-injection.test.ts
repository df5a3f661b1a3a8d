import "reflect-metadata";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromJsonForm } from "@switchlab/conformance";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

/**
 * The fault-injection suite: each deliberately broken plugin of fixtures/broken-plugins, in a
 * scratch root beside `original`, run through the matrix command (worker pool included) on one
 * profile and a few rows. For each: the plugin is reported with its path, and original's cells,
 * guards and costs are byte-identical to a run without the broken plugin. No assertion reads a
 * clock: the looping plugin is ended by the row watchdog, whose verdict is the error row.
 */
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const FIXTURES = join(REPO, "fixtures", "broken-plugins");
/**
 * The looping fixture's row timeout. The other runs have none (--row-timeout 0). original's rows
 * here take a fraction of a second, so even a machine slowed many times over ends none of them.
 */
const ROW_TIMEOUT_S = 5;
const ARGS = [
  "matrix",
  "--profile",
  "skylake-server-no-isolation",
  "--scenario",
  "throttle-window,handoff-host-sampling,mediated-fastpath",
  "--kernel",
  "own",
  // PMIs only: a mediated row's default NMI from another source (other-nmis.ts) multiplies the
  // looping fixtures' states past what the row timeout above allows on a slow machine.
  "--other-nmis",
  "0",
  "--format",
  "json",
  "--quiet",
  "--jobs",
  "2",
];
const timeoutFor = (fixture?: string) => ["--row-timeout", fixture === "hook-loops" ? String(ROW_TIMEOUT_S) : "0"];

/** Fixtures that import a switchlab package (they are copied, with a link to it). */
const IMPORTS_SWITCHLAB = ["mutates-conformance"];

/** A root whose policies/ holds original (its built plugin) and the given fixtures. */
function scratch(...fixtures: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "switchlab-faults-"));
  const orig = join(root, "policies", "original");
  mkdirSync(orig, { recursive: true });
  cpSync(join(REPO, "policies", "original", "package.json"), join(orig, "package.json"));
  // Its build and its dependencies, linked (no tsconfig: a build of the scratch root leaves it alone).
  for (const d of ["dist", "node_modules"]) symlinkSync(join(REPO, "policies", "original", d), join(orig, d));
  for (const f of fixtures) {
    if (!IMPORTS_SWITCHLAB.includes(f)) {
      symlinkSync(join(FIXTURES, f), join(root, "policies", f));
      continue;
    }
    // A copy, so that its import of @switchlab/conformance resolves to this workspace's package.
    cpSync(join(FIXTURES, f), join(root, "policies", f), { recursive: true });
    mkdirSync(join(root, "policies", f, "node_modules", "@switchlab"), { recursive: true });
    symlinkSync(
      join(REPO, "packages", "conformance"),
      join(root, "policies", f, "node_modules", "@switchlab", "conformance"),
    );
  }
  return root;
}

interface Matrix {
  policies: { id: string }[];
  problems: { path: string; message: string }[];
  cells: { policy: string; verdict: string; message?: string }[];
  guards: { policy: string }[];
  costs: { policy: string }[];
}

async function run(root: string, fixture?: string): Promise<{ m: Matrix; stderr: string }> {
  process.env.SWITCHLAB_ROOT = root;
  const io = capture();
  const code = await main([...ARGS, ...timeoutFor(fixture)], io);
  expect(code, io.e).toBe(0);
  // Decoded: the JSON interns strings over every policy, so its indices depend on the others.
  return { m: fromJsonForm(JSON.parse(io.o)) as unknown as Matrix, stderr: io.e };
}

/** Everything of original's in a matrix, as bytes. */
const originalOf = (m: Matrix) =>
  JSON.stringify({
    cells: m.cells.filter((c) => c.policy === "original"),
    guards: m.guards.filter((g) => g.policy === "original"),
    costs: m.costs.filter((c) => c.policy === "original"),
  });

let clean: string;

afterEach(() => {
  delete process.env.SWITCHLAB_ROOT;
});

beforeAll(async () => {
  const { m } = await run(scratch());
  expect(m.problems).toEqual([]);
  expect(m.policies.map((p) => p.id)).toEqual(["original"]);
  clean = originalOf(m);
});

/** Plugins that must not load: each is a problem with its path and the loader's first error. */
const NOT_LOADED: readonly [string, RegExp][] = [
  ["throws-on-import", /^boom while loading the plugin$/],
  ["invalid-manifest", /^invalid manifest: field "summary"/],
  ["misnamed-folder", /^policy id "some-other-name" does not match its folder name "misnamed-folder"$/],
  ["z-duplicate-of-original", /^duplicate policy id "original" \(also in .*\/policies\/original\)$/],
  ["missing-module", /Cannot find (package|module) 'switchlab-no-such-module'/],
  ["exits-on-import", /^it ended its worker while being imported \(exit code 0: process\.exit, or a crash\)$/],
  ["timer-on-import", /^setTimeout\(\) is not available to policy code: /],
  [
    "patches-array-sort",
    /^Cannot assign to read only property 'sort' of object .*: switchlab freezes every JavaScript intrinsic and its own exports/,
  ],
  [
    "mutates-conformance",
    /^Cannot assign to read only property 'length' of object .*: switchlab freezes every JavaScript intrinsic and its own exports/,
  ],
];

/** Plugins that load, and whose every row must be `error` (or `not-applicable`) saying why. */
const RUN_AND_FAIL: readonly [string, RegExp][] = [
  ["hook-throws", /^the hook failed \(at .*\/fixtures\/broken-plugins\/hook-throws\/index\.js:\d+\)$/],
  [
    "hook-loops",
    /^(policy hook-loops \(.*\/policies\/hook-loops\) did not finish .* within 5 s \(--row-timeout\); it was at fixture:loops of vcpu_run, .*, and its worker was ended|not run: policy hook-loops \(.*\) hung on .* \(--row-timeout\) earlier)$/,
  ],
  [
    "run-loop-never-exits",
    /^run loop never reaches VM-exit: it ran 256 steps without one \(last at fixture:spin\); a patched sequence loops$/,
  ],
  [
    "writes-scenario",
    /^a hook wrote to what the cell shares, which is read-only .*: Cannot assign to read only property 'nmiBudget' of object .* \(at .*\/writes-scenario\/index\.js:\d+\)$/,
  ],
  [
    "changes-shared-list",
    /^a hook wrote to what the cell shares, which is read-only .*: Cannot add property \d+, object is not extensible \(at .*\/changes-shared-list\/index\.js:\d+\)$/,
  ],
  [
    "patches-world-getter",
    /^a hook wrote to what the cell shares, which is read-only .*: Cannot redefine property: lastNmiRip \(at .*\/patches-world-getter\/index\.js:\d+\)$/,
  ],
  [
    "patches-map-in-step",
    /^policy code tried to change a JavaScript intrinsic, which switchlab freezes .*: Cannot assign to read only property 'has' of 'root\.%MapPrototype%' \(at .*\/patches-map-in-step\/index\.js:\d+\)$/,
  ],
  [
    "random-in-step",
    /^policy random-in-step called Math\.random\(\) while exploring: clocks, randomness and timers are unavailable to policy code/,
  ],
  [
    "clock-caught-in-step",
    /^policy clock-caught-in-step called Date\.now\(\) while exploring: clocks, randomness and timers are unavailable to policy code/,
  ],
];

/**
 * Every fixture at once beside original, in one run: each broken plugin is reported or makes its
 * own rows errors, and original's bytes equal the clean run's, so no fixture reached another
 * policy's result (one run keeps the suite fast: a run's cost is mostly starting its workers).
 */
describe("the fault-injection suite", () => {
  const fixtures = [...[...NOT_LOADED, ...RUN_AND_FAIL].map(([f]) => f), "throws-rarely"];
  const root = scratch(...fixtures);
  let all: { m: Matrix; stderr: string };
  beforeAll(async () => {
    all = await run(root, "hook-loops");
  });

  it("runs original and the fixtures that load, and original's cells, guards and costs are the clean run's bytes", () => {
    expect(all.m.policies.map((p) => p.id)).toEqual(
      ["original", "throws-rarely", ...RUN_AND_FAIL.map(([f]) => f)].sort(),
    );
    expect(originalOf(all.m)).toBe(clean);
  });

  it.each(NOT_LOADED)("%s is reported with its path, once", (fixture, why) => {
    const mine = all.m.problems.filter((p) => p.path === join(root, "policies", fixture));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.message).toMatch(why);
    expect(all.stderr).toContain(`switchlab: plugin skipped: ${join(root, "policies", fixture)}: `);
  });

  it("a throw on a rare interleaving carries that interleaving, replayable, ending in the choice that threw", () => {
    const cells = all.m.cells as unknown as {
      policy: string;
      verdict: string;
      counterexample?: { actions: string[]; trace: string[]; reproduce: string };
    }[];
    const mine = cells.filter((c) => c.policy === "throws-rarely" && c.verdict === "error");
    expect(mine.length).toBeGreaterThan(0);
    for (const c of mine as unknown as { message: string }[])
      expect(c.message).toMatch(/^the rare case \(at .*\/fixtures\/broken-plugins\/throws-rarely\/index\.js:\d+\)$/);
    for (const c of mine) {
      const cx = c.counterexample;
      expect(cx?.actions.some((a) => a.startsWith("nmi@"))).toBe(true);
      expect(cx?.actions.at(-1)).toBe("fixture:throws-rarely");
      expect(cx?.trace.at(-1)).toMatch(/^fixture:throws-rarely: threw: the rare case \(at /);
      expect(cx?.reproduce).toMatch(/^pnpm switchlab check --policy throws-rarely /);
    }
  });

  it("--check-determinism: a policy that keeps state between rows gives error rows naming the check; original is untouched", async () => {
    process.env.SWITCHLAB_ROOT = scratch("keeps-state");
    const io = capture();
    // One worker and two rows: the fixture's pattern (a step on its 1st, 5th, ... cell build) then
    // lands on different rows in the two orders, whatever the machine's timing.
    const args = [
      "matrix",
      "--profile",
      "skylake-server-no-isolation",
      "--scenario",
      "throttle-window,handoff-host-sampling",
    ];
    args.push("--kernel", "own", "--format", "json", "--quiet", "--jobs", "1", "--row-timeout", "0");
    expect(await main([...args, "--check-determinism", "--no-cache"], io)).toBe(0);
    const m = fromJsonForm(JSON.parse(io.o)) as unknown as Matrix;
    const mine = m.cells.filter((c) => c.policy === "keeps-state" && c.verdict === "error");
    expect(mine.length).toBeGreaterThan(0);
    for (const c of mine) expect(c.message).toMatch(/^--check-determinism: policy keeps-state gave different results/);
    const cleanTwo = capture();
    process.env.SWITCHLAB_ROOT = scratch();
    expect(await main([...args, "--no-cache"], cleanTwo)).toBe(0);
    expect(originalOf(m)).toBe(originalOf(fromJsonForm(JSON.parse(cleanTwo.o)) as unknown as Matrix));
  });

  it("reports no other problem", () => {
    expect(all.m.problems).toHaveLength(NOT_LOADED.length);
  });

  it("a gate cannot pass: --fail-on (any verdict) exits 1 with a plugin that calls process.exit(0) at import, and every other row is there", async () => {
    process.env.SWITCHLAB_ROOT = scratch("exits-on-import");
    const io = capture();
    expect(await main([...ARGS, "--row-timeout", "0", "--fail-on", "vacuous"], io)).toBe(1);
    const m = fromJsonForm(JSON.parse(io.o)) as unknown as Matrix;
    expect(m.problems.map((p) => p.path.split("/").pop())).toEqual(["exits-on-import"]);
    expect(originalOf(m)).toBe(clean);
  });

  it.each(RUN_AND_FAIL)("%s makes its own rows errors, saying why", (fixture, why) => {
    const mine = all.m.cells.filter((c) => c.policy === fixture);
    expect(mine.length).toBeGreaterThan(0);
    const errors = mine.filter((c) => c.verdict !== "not-applicable");
    expect(errors.length).toBeGreaterThan(0);
    for (const c of errors) {
      expect(c.verdict).toBe("error");
      expect(c.message).toMatch(why);
    }
  });

  it("a policy that does not compile is reported with the compiler's first error; the rest runs", async () => {
    const root = scratch();
    // The fixture as a workspace policy of the scratch root, built by the same build as
    // `pnpm switchlab` (scripts/lib/build.mjs), with its stale output left in dist/.
    cpSync(join(FIXTURES, "type-error"), join(root, "policies", "type-error"), { recursive: true });
    mkdirSync(join(root, "policies", "type-error", "dist"), { recursive: true });
    writeFileSync(
      join(root, "policies", "type-error", "dist", "index.js"),
      'export default { contract: 1, id: "type-error", title: "stale", summary: "stale build", upstream: { cite: "c", url: "https://example.org" }, touches: [] };\n',
    );
    mkdirSync(join(root, "node_modules"));
    symlinkSync(join(REPO, "node_modules", "typescript"), join(root, "node_modules", "typescript"));
    writeFileSync(join(root, "package.json"), "{}\n");
    const { build } = (await import(join(REPO, "scripts", "lib", "build.mjs"))) as {
      build: (root: string) => Promise<{ ok: boolean; problems: { folder: string; message: string }[] }>;
    };
    const b = await build(root);
    expect(b.ok).toBe(true);
    expect(b.problems.map((p) => p.folder)).toEqual(["type-error"]);
    const { m } = await run(root);
    expect(m.policies.map((p) => p.id)).toEqual(["original"]);
    expect(m.problems).toEqual([
      {
        path: join(root, "policies", "type-error"),
        message: expect.stringMatching(
          /^does not compile: policies\/type-error\/src\/index\.ts\(\d+,\d+\): error TS2322: /,
        ),
      },
    ]);
    expect(originalOf(m)).toBe(clean);
  });
});
