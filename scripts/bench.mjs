#!/usr/bin/env node
// `pnpm bench`: the explorer's speed and memory, printed as figures (not a test). One core
// (Node's main thread), V8 with 64 MiB semi-spaces as `pnpm switchlab` runs it. Figures vary with
// the machine's load: compare ratios measured in the same run, not absolute numbers across runs.
//   1. TwoPhase commit (TLA+ Examples' TwoPhase.tla) for 3, 5, 7, 8 and 9 resource managers;
//      at 8 and 9, each in a process of its own, distinct states per second and peak RSS per
//      state, and SPIN on the same model (scripts/lib/two-phase-pml.mjs) beside it when `spin`
//      and `cc` are on PATH (a line says so when not).
//   2. The domain: BFS over a widened guest-counter hand-off, states per second, after a warm-up.
//   3. Time to the first counterexample of the 2021 race.
//   4. The default matrix's wall time: in one thread; as `switchlab matrix --no-cache` with --jobs 1
//      and --jobs 2 (each worker's busy share; each run's CPU time where /proc gives it, and the
//      ratio two cores allow at that CPU time); from an empty row cache (equivalent profiles
//      explored once, rows that change nothing original's reached answered from it); warm; after
//      one policy changed (isolation-aware, which another depends on; then every policy alone,
//      with the range and median of cold / touched, and the best this design could give: a warm
//      run's time plus the rows' states at the cold run's rate). States stored against issue 21's 20.3 M
//      (every row, before the row cache and the reductions), with and without --chains, and with
//      --keep-dead-values (the dead-value reduction off).
//   5. The default frontier's wall time (every row, every assumption widened alone).
// Not in the default run (name it: `node --max-semi-space-size=64 scripts/bench.mjs where`):
//   where: where original's states are, by the run loop's program point, and how many of them a
//      silent step leads to (a step that changes nothing but the program counter, the watchdog and
//      the ages of a pending PMI or latent assist): the most that merging silent steps could save;
//      and the states with the run-loop watchdog zeroed after every step.
//   same [matrix.json]: which policies' rows give original's results (every cell's verdict, states,
//      transitions and counterexample and witness paths) in a matrix JSON (default: the matrix
//      tier's artifacts/matrix.json, every row explored): the most any finer sharing of rows with
//      original's could answer.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "./lib/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const self = fileURLToPath(import.meta.url);
const part = process.argv[2];
const V8 = ["--max-semi-space-size=64"];

if (!part) {
  if (!process.env.SWITCHLAB_NO_BUILD && !(await build(root, { log: (l) => process.stderr.write(`${l}\n`) })).ok)
    process.exit(2);
  // Each part in a fresh process, so one part's heap and JIT state do not colour another's figures.
  for (const p of ["two-phase", "two-phase-8", "two-phase-9", "domain", "first-counterexample", "matrix", "frontier"]) {
    const r = spawnSync(process.execPath, [...V8, self, p], { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  process.exit(0);
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");

if (part === "same") {
  const { readFileSync } = await import("node:fs");
  const { fromJsonForm } = await import("../packages/conformance/dist/index.js");
  const file = process.argv[3] ?? `${root}artifacts/matrix.json`;
  const m = fromJsonForm(JSON.parse(readFileSync(file, "utf8")));
  // Each (profile, scenario) row of each policy, as the list of what its cells say.
  const rows = new Map();
  for (const c of m.cells) {
    const place = `${c.profile}\u0000${c.scenario}`;
    const r = rows.get(place) ?? new Map();
    rows.set(place, r);
    const cells = r.get(c.policy) ?? { states: c.states, says: [] };
    r.set(c.policy, cells);
    cells.says.push(
      JSON.stringify([c.property, c.verdict, c.states, c.transitions, c.counterexample?.actions, c.witness?.actions]),
    );
  }
  const by = new Map();
  for (const r of rows.values()) {
    const o = r.get("original")?.says.join("\n");
    for (const [p, cells] of r) {
      if (p === "original") continue;
      const s = by.get(p) ?? { same: 0, sameStates: 0, rows: 0, states: 0 };
      by.set(p, s);
      s.rows++;
      s.states += cells.states;
      if (cells.says.join("\n") === o) {
        s.same++;
        s.sameStates += cells.states;
      }
    }
  }
  const M = (n) => `${(n / 1e6).toFixed(2)} M`;
  console.log(`rows whose results are original's (${file}):`);
  let same = 0;
  let sameStates = 0;
  let all = 0;
  for (const [p, s] of [...by].sort((a, b) => b[1].sameStates - a[1].sameStates)) {
    console.log(
      `  ${p.padEnd(36)} ${String(s.same).padStart(4)} of ${s.rows} rows, ${M(s.sameStates)} of ${M(s.states)} states`,
    );
    same += s.same;
    sameStates += s.sameStates;
    all += s.states;
  }
  console.log(`  in all: ${fmt(same)} rows, ${M(sameStates)} of the other policies' ${M(all)} states`);
  process.exit(0);
}
const ex = await import("../packages/explorer/dist/index.js");

if (part === "two-phase" || part === "two-phase-8" || part === "two-phase-9") {
  const { twoPhase, consistent } = await import("../packages/explorer/dist/examples/two-phase.js");
  const sizes = part === "two-phase" ? [3, 5, 7] : [Number(part.slice(-1))];
  if (part === "two-phase") console.log("TwoPhase commit (TLA+ Examples' TwoPhase.tla), BFS, one core:");
  for (const n of sizes) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // At 9 resource managers the space is past the default 2,000,000-state bound.
    const r = ex.explore(twoPhase(n), [consistent], { ...ex.DEFAULT_BOUNDS, maxStates: 50_000_000 }, ex.BREADTH_FIRST);
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const extra =
      n >= 8
        ? `, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU; peak RSS ${((process.resourceUsage().maxRSS * 1024) / r.states).toFixed(0)} bytes/state (targets: 700,000 states/s, 130 bytes/state)`
        : "";
    console.log(
      `  ${n} RMs: ${fmt(r.states)} distinct states, ${fmt(r.transitions)} transitions, ${s.toFixed(2)} s, ${fmt(r.states / s)} states/s (${r.storage.mode})${extra}`,
    );
    if (n >= 8) {
      const { spinTwoPhase } = await import("./lib/two-phase-pml.mjs");
      const sp = spinTwoPhase(n);
      console.log(
        sp.skipped
          ? `  ${n} RMs, SPIN: skipped (${sp.skipped})`
          : `  ${n} RMs, SPIN ${sp.version} (pan -O2, one core): ${fmt(sp.states)} states stored, ${fmt(sp.transitions)} transitions, ${sp.cpu.toFixed(2)} s CPU (this explorer / SPIN, CPU: ${((cpu.user + cpu.system) / 1e6 / sp.cpu).toFixed(2)}x)`,
      );
    }
  }
}

if (
  part === "domain" ||
  part === "first-counterexample" ||
  part === "matrix" ||
  part === "frontier" ||
  part === "where"
) {
  const { runMatrix, runFrontier, PROPERTIES, SCENARIOS, worldModel } = await import(
    "../packages/conformance/dist/index.js"
  );
  const { buildCell, createRootContainer } = await import("../packages/model/dist/index.js");
  const { builtinProfiles } = await import("../packages/hardware/dist/index.js");
  const { discoverPolicies } = await import("../packages/policy-api/dist/index.js");
  const { policies } = await discoverPolicies(root);
  const original = policies.find((p) => p.id === "original");
  const skylake = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation");
  const base = SCENARIOS.find((s) => s.id === "handoff-guest-counter");
  const explore = (sc, props) => {
    const cell = buildCell(createRootContainer(), original, skylake, sc);
    const ps = (props ?? PROPERTIES).filter((p) => !p.applies || p.applies(cell)).map((p) => p.toExplorer(cell));
    return { cell, ps };
  };

  if (part === "domain") {
    const big = {
      ...base,
      id: "bench-large",
      nmiBudget: 3,
      overflows: { counters: [0], budget: 5, perEvent: 3 },
      tickBudget: 2,
      maxRoundTrips: 6,
    };
    const warm = explore(base);
    ex.explore(worldModel(warm.cell), warm.ps, ex.DEFAULT_BOUNDS, ex.BREADTH_FIRST);
    const { cell, ps } = explore(big);
    const t0 = performance.now();
    const r = ex.explore(worldModel(cell), ps, ex.DEFAULT_BOUNDS, ex.BREADTH_FIRST);
    const s = (performance.now() - t0) / 1000;
    console.log(
      "domain: BFS over a widened guest-counter hand-off (bench-large) on skylake-server-no-isolation, original:",
    );
    console.log(
      `  ${fmt(r.states)} distinct states, ${fmt(r.transitions)} transitions, ${s.toFixed(2)} s: ${fmt(r.states / s)} states/s; ${r.storage.stateBytes} bytes a state record (${r.storage.mode}, collision probability ${r.storage.collisionProbability.toExponential(1)}); index ${(r.indexBytes / r.states).toFixed(0)} bytes/state; peak RSS ${((process.resourceUsage().maxRSS * 1024) / r.states).toFixed(0)} bytes/state`,
    );
  }

  if (part === "first-counterexample") {
    const pf = PROPERTIES.filter((p) => p.id === "no-guest-pf-on-host-ds");
    const { cell, ps } = explore(base, pf);
    let first;
    const t0 = performance.now();
    const r = ex.explore(worldModel(cell), ps, ex.DEFAULT_BOUNDS, ex.BREADTH_FIRST, {
      onFound: () => {
        first ??= performance.now();
      },
    });
    const t1 = performance.now();
    console.log(
      "time to the first counterexample (no-guest-pf-on-host-ds, handoff-guest-counter, skylake-server-no-isolation):",
    );
    console.log(
      `  ${((first ?? t1) - t0).toFixed(1)} ms to find it; ${(t1 - t0).toFixed(1)} ms to finish the ${fmt(r.states)}-state space; ${r.properties[0].counterexample?.length} choices`,
    );
  }

  if (part === "matrix") {
    const t0 = performance.now();
    const m = runMatrix({ policies, profiles: builtinProfiles() });
    const t1 = performance.now();
    const explorations = new Set(m.cells.map((c) => `${c.policy}/${c.profile}/${c.scenario}`)).size;
    console.log("default matrix (one process, one core):");
    console.log(
      `  ${policies.length} policies x ${m.profiles.length} profiles x ${m.scenarios.length} scenarios = ${explorations} explorations, ${m.cells.length} cells: ${((t1 - t0) / 1000).toFixed(2)} s`,
    );
    // As users run it: the CLI, its worker pool with --jobs 1 and --jobs 2, JSON out (wall time
    // of the whole command, start-up and rendering included); the outputs must be the same bytes.
    // The row cache in a scratch directory of its own (SWITCHLAB_CACHE_DIR), so the repository's
    // cache and files are left alone: cold (--no-cache) at --jobs 1 and at --jobs 2, then warm
    // with nothing changed, then with one policy's code hash salted (SWITCHLAB_CACHE_SALT), as an
    // edit of that policy would change it: isolation-aware, which
    // isolation-aware-post-exit-reload depends on. SWITCHLAB_POOL_STATS: each worker's busy time.
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const bin = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));
    const scratch = () => mkdtempSync(join(tmpdir(), "switchlab-bench-cache-"));
    // The CPU time (user and system, every thread) of this process's finished children, from
    // /proc/self/stat's cutime and cstime (Linux, in USER_HZ = 100 ticks a second); undefined elsewhere.
    const { readFileSync } = await import("node:fs");
    const childrenCpu = () => {
      try {
        const stat = readFileSync("/proc/self/stat", "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const s = (Number(f[13]) + Number(f[14])) / 100;
        return Number.isFinite(s) ? s : undefined;
      } catch {
        return undefined;
      }
    };
    const cli = (label, cacheDir, args, env = {}) => {
      const c0 = childrenCpu();
      const t = performance.now();
      const r = spawnSync(process.execPath, [...V8, bin, "matrix", "--format", "json", ...args], {
        maxBuffer: 1 << 30,
        env: { ...process.env, SWITCHLAB_CACHE_DIR: cacheDir, SWITCHLAB_POOL_STATS: "1", ...env },
      });
      const wall = (performance.now() - t) / 1000;
      const c1 = childrenCpu();
      const cpu = c0 === undefined || c1 === undefined ? undefined : c1 - c0;
      if (r.status !== 0) throw new Error(`switchlab matrix ${args.join(" ")} exited with ${r.status}`);
      const err = r.stderr.toString();
      const cache = /switchlab: (.* from the cache, .* explored \(.* states\))/.exec(err)?.[1] ?? "no cache line";
      const states = Number((/explored \(([\d,]+) states\)/.exec(err)?.[1] ?? "0").replaceAll(",", ""));
      const workers = /switchlab: workers busy (.*)\n/.exec(err)?.[1] ?? "no rows explored";
      const used = cpu === undefined ? "" : ` (${cpu.toFixed(1)} s of CPU, ${(cpu / wall).toFixed(2)} cores)`;
      const pool = Number(/ of ([\d.]+) s$/.exec(workers)?.[1] ?? "0");
      console.log(`  ${label}: ${wall.toFixed(2)} s${used}; ${cache}; workers busy ${workers}`);
      return { wall, cpu, out: r.stdout, states, pool };
    };
    console.log("switchlab matrix --format json (the CLI, its worker pool, the row cache in a scratch directory):");
    const a = scratch();
    const one = cli("cold, --no-cache --jobs 1", a, ["--no-cache", "--jobs", "1"]);
    const two = cli("cold, --no-cache --jobs 2", a, ["--no-cache", "--jobs", "2"]);
    // From an empty cache: rows of equivalent profiles are explored once.
    const b = scratch();
    const empty = cli("cold, empty cache, --jobs 2", b, ["--jobs", "2"]);
    const warm = cli("warm, nothing changed, --jobs 2", b, ["--jobs", "2"]);
    const touched = cli("after touching one policy (isolation-aware), --jobs 2", b, ["--jobs", "2"], {
      SWITCHLAB_CACHE_SALT: "isolation-aware=bench",
    });
    // Then each policy touched alone (its rows and its dependents' re-explored, the rest read):
    // a policy author's loop depends on which policy it is, so every one is measured.
    const each = [];
    for (const p of JSON.parse(one.out.toString()).policies) {
      const r = cli(`after touching ${p.id} alone, --jobs 2`, b, ["--jobs", "2"], {
        SWITCHLAB_CACHE_SALT: `${p.id}=bench-each`,
      });
      each.push({ id: p.id, ...r });
    }
    for (const d of [a, b]) rmSync(d, { recursive: true, force: true });
    const same = [two, empty, warm, touched, ...each].every((r) => Buffer.compare(r.out, one.out) === 0);
    const ratios = each.map((r) => empty.wall / r.wall).sort((x, y) => x - y);
    const median = ratios[Math.floor(ratios.length / 2)] ?? 0;
    // What two cores allow: --jobs 2 cannot take less wall time than its CPU time over two.
    const bound =
      two.cpu === undefined
        ? ""
        : ` (at most ${(one.wall / (two.cpu / 2)).toFixed(2)} from --jobs 2's CPU time over two cores)`;
    // What cold / touched could be at best: a touched run does a warm run's work (start-up, the
    // other rows read, rendering) and explores its rows; were they explored at the cold run's
    // rate (the pool's wall time per state, JIT warm-up amortized over the whole matrix), it
    // would take warm + states x that. Its ratio to cold is the most this design can give.
    const perState = empty.states > 0 ? empty.pool / empty.states : 0;
    const ceiling = (r) => empty.wall / (warm.wall + r.states * perState);
    const ceilings = each.map(ceiling).sort((x, y) => x - y);
    console.log(
      `  --jobs 1 / --jobs 2: ${(one.wall / two.wall).toFixed(2)}${bound} (target 1.8); cold / warm: ${(two.wall / warm.wall).toFixed(1)}; cold / touched: ${(empty.wall / touched.wall).toFixed(1)} (isolation-aware), over every policy touched alone ${(ratios[0] ?? 0).toFixed(1)} to ${(ratios.at(-1) ?? 0).toFixed(1)}, median ${median.toFixed(1)} (target 8); outputs ${same ? "byte-identical" : "DIFFERENT"}`,
    );
    console.log(
      `  cold / touched at best (warm's time plus the rows' states at the cold run's pool time per state): ${ceiling(touched).toFixed(1)} (isolation-aware, ${fmt(touched.states)} of the cold run's ${fmt(empty.states)} states), every policy alone ${(ceilings[0] ?? 0).toFixed(1)} to ${(ceilings.at(-1) ?? 0).toFixed(1)}, median ${(ceilings[Math.floor(ceilings.length / 2)] ?? 0).toFixed(1)}`,
    );
    // Compressed chains: fewer states stored, more time.
    const c = scratch();
    const chained = cli("cold, --no-cache --chains --jobs 2 (compressed chains)", c, [
      "--no-cache",
      "--chains",
      "--jobs",
      "2",
    ]);
    rmSync(c, { recursive: true, force: true });
    // Dead values kept (last_nmi_rip stored where nothing reads it): what the reduction saves.
    const k = scratch();
    const kept = cli("cold, empty cache, --keep-dead-values --jobs 2 (every dead value kept)", k, [
      "--keep-dead-values",
      "--jobs",
      "2",
    ]);
    rmSync(k, { recursive: true, force: true });
    const M = (n) => `${(n / 1e6).toFixed(2)} M`;
    // Every row's states, from the JSON (the matrix JSON interns strings: rows are told apart by
    // their policy, profile and scenario indices).
    const everyRow = (out) => {
      const rows = new Map();
      for (const x of JSON.parse(out.toString()).cells) rows.set(`${x.policy}/${x.profile}/${x.scenario}`, x.states);
      return [...rows.values()].reduce((a, b) => a + b, 0);
    };
    const ISSUE = 20.3e6;
    console.log(
      `  states stored: every row ${M(everyRow(one.out))} (${M(everyRow(chained.out))} with --chains, ${M(everyRow(kept.out))} with --keep-dead-values); explored from an empty cache ${M(empty.states)} (${M(kept.states)} with --keep-dead-values, ${(empty.wall / kept.wall).toFixed(2)} of its time); issue 21 measured ${M(ISSUE)}: ${(empty.states / ISSUE).toFixed(3)} of it (target at most 0.333)`,
    );
  }

  if (part === "where") {
    // Every row of original's (each profile, each scenario row), explored with the matrix's own
    // properties (their monitors are part of the state). Each expanded state whose run-loop step
    // is enabled also takes that step on a copy: the step is silent there when the copy differs
    // from the state only in kvm.pc, the run-loop watchdog (steps since the VM-exit; this part
    // also explores each row with it zeroed after every step, to see whether it adds states) and
    // the ages the step's instructions add (pmiAge, the latent PEBS assists'). A merge of silent
    // steps would not store the states they lead to: their count bounds what it saves.
    const { prepareCell, SCENARIO_ROWS, notApplicableRow } = await import("../packages/conformance/dist/index.js");
    const { cloneWorld, worldWords } = await import("../packages/model/dist/index.js");
    const byPoint = new Map();
    let total = 0;
    let silent = 0;
    let stored = 0;
    let withoutWatchdog = 0;
    let watchdogRows = 0;
    for (const profile of builtinProfiles())
      for (const sc of SCENARIO_ROWS) {
        if (notApplicableRow(original.id, profile, sc)) continue;
        const { cell, explorerProps } = prepareCell(createRootContainer(), original, profile, sc);
        const m = worldModel(cell);
        const seq = cell.env.seq.runLoop;
        const actions = m.actions;
        m.actions = (s, out) => {
          const n = actions(s, out);
          total++;
          const at = s.host.act ? "a host activity" : (seq.steps[s.kvm.pc]?.id ?? `pc ${s.kvm.pc}`);
          const row = byPoint.get(at) ?? { states: 0, silent: 0 };
          byPoint.set(at, row);
          row.states++;
          if (s.host.act) return n;
          for (let i = 0; i < n; i++) {
            if (out[i].kind !== "step") continue;
            const c = cloneWorld(s);
            cell.machine.applyInPlace(c, out[i]);
            c.kvm.pc = s.kvm.pc;
            c.kvm.watchdog = s.kvm.watchdog;
            c.hw.pmiAge = s.hw.pmiAge;
            c.hw.pebsLatent = s.hw.pebsLatent;
            c.hw.pebsLatentAge.set(s.hw.pebsLatentAge);
            const a = worldWords(c);
            const b = worldWords(s);
            if (a.every((x, j) => x === b[j])) {
              silent++;
              row.silent++;
            }
          }
          return n;
        };
        const n = ex.explore(m, explorerProps, ex.DEFAULT_BOUNDS, ex.BREADTH_FIRST).states;
        stored += n;
        // The same row with the watchdog zeroed after every step: does it add states of its own?
        const z = worldModel(prepareCell(createRootContainer(), original, profile, sc).cell);
        const next = z.next;
        z.next = (s, a) => {
          next(s, a);
          s.kvm.watchdog = 0;
        };
        const nz = ex.explore(z, explorerProps, ex.DEFAULT_BOUNDS, ex.BREADTH_FIRST).states;
        withoutWatchdog += nz;
        if (nz !== n) watchdogRows++;
      }
    console.log(
      `where original's states are (every profile and scenario row: ${fmt(stored)} states, ${fmt(total)} expansions): the expansions at each run-loop program point, and how many take a silent step from there`,
    );
    for (const [at, r] of [...byPoint].sort((x, y) => y[1].states - x[1].states))
      console.log(
        `  ${((100 * r.states) / total).toFixed(1).padStart(5)}%  ${at.padEnd(52)} silent step from ${((100 * r.silent) / Math.max(1, r.states)).toFixed(0)}%`,
      );
    console.log(
      `  with the run-loop watchdog zeroed after every step: ${fmt(withoutWatchdog)} states; ${watchdogRows} rows with another count (${watchdogRows === 0 ? "it adds no state of its own" : "it adds states"})`,
    );
    console.log(
      `  silent steps taken: ${fmt(silent)}, ${((100 * silent) / stored).toFixed(1)}% of the states: at most that many states are led to by a silent step, the most a merge of silent steps saves`,
    );
  }

  if (part === "frontier") {
    const t0 = performance.now();
    const f = runFrontier({ policies, profiles: builtinProfiles() });
    const t1 = performance.now();
    console.log("default frontier (one process, one core; switchlab frontier with no filters):");
    console.log(
      `  ${f.cells.length} cells searched along ${f.dimensions.length} assumptions, ${fmt(f.explorations)} explorations: ${((t1 - t0) / 1000).toFixed(1)} s`,
    );
  }
}
