// TwoPhase commit (TLA+ Examples' TwoPhase.tla, as packages/explorer/src/examples/two-phase.ts)
// in Promela, for `pnpm bench` to run SPIN on the same model beside the explorer. One process
// whose every action is one d_step of a do-loop, so SPIN's stored states are the model's states;
// the invariant TCConsistent is asserted after every action. pan is compiled with -O2 -DSAFETY
// (no never claim) and run with a depth limit past the longest path; its CPU time is read from
// the process's rusage (bash's `times`), compilation excluded.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The Promela text for n resource managers. */
export function twoPhasePml(n) {
  const all = (1 << n) - 1;
  const any = (v) => Array.from({ length: n }, (_, i) => `rm[${i}] == ${v}`).join(" || ");
  const check = `assert(!((${any(2)}) && (${any(3)})))`;
  const act = (guard, body) => `  :: d_step { ${guard} -> ${body}; ${check} }`;
  const lines = [
    `/* TwoPhase commit, ${n} resource managers: rm 0 working, 1 prepared, 2 committed, 3 aborted. */`,
    `byte rm[${n}]; bit tmState; int tmPrepared; int msgPrepared; bit msgCommit; bit msgAbort;`,
    "active proctype twoPhase() {",
    "  do",
    act(`tmState == 0 && tmPrepared == ${all}`, "tmState = 1; msgCommit = 1"),
    act("tmState == 0", "tmState = 1; msgAbort = 1"),
  ];
  for (let i = 0; i < n; i++) {
    lines.push(act(`tmState == 0 && (msgPrepared & ${1 << i})`, `tmPrepared = tmPrepared | ${1 << i}`));
    lines.push(act(`rm[${i}] == 0`, `rm[${i}] = 1; msgPrepared = msgPrepared | ${1 << i}`));
    lines.push(act(`rm[${i}] == 0`, `rm[${i}] = 3`));
    lines.push(act(`msgCommit`, `rm[${i}] = 2`));
    lines.push(act(`msgAbort`, `rm[${i}] = 3`));
  }
  lines.push("  od", "}");
  return `${lines.join("\n")}\n`;
}

const onPath = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

/** Run SPIN on TwoPhase with n resource managers: states stored, transitions, pan's CPU seconds; or why it was skipped. */
export function spinTwoPhase(n) {
  if (!onPath("spin")) return { skipped: "spin is not on PATH" };
  if (!onPath("cc")) return { skipped: "no C compiler (cc) on PATH for pan.c" };
  const dir = mkdtempSync(join(tmpdir(), "switchlab-spin-"));
  try {
    writeFileSync(join(dir, "two-phase.pml"), twoPhasePml(n));
    const version = /Spin Version ([\d.]+)/.exec(spawnSync("spin", ["-V"]).stdout.toString())?.[1] ?? "?";
    const gen = spawnSync("spin", ["-a", "two-phase.pml"], { cwd: dir });
    if (gen.status !== 0) return { skipped: `spin -a failed: ${gen.stderr.toString().trim()}` };
    const cc = spawnSync("cc", ["-O2", "-DSAFETY", "-DMEMLIM=8192", "-o", "pan", "pan.c"], { cwd: dir });
    if (cc.status !== 0) return { skipped: `compiling pan.c failed: ${cc.stderr.toString().trim().slice(0, 200)}` };
    // bash's `times` after pan: the children's user and system CPU time.
    const run = spawnSync("bash", ["-c", "./pan -m10000 -c1 > out.txt; s=$?; times; exit $s"], { cwd: dir });
    const out = spawnSync("cat", ["out.txt"], { cwd: dir }).stdout.toString();
    const stored = /([\d.e+]+) states, stored/.exec(out)?.[1];
    const trans = /([\d.e+]+) transitions/.exec(out)?.[1];
    if (!stored) return { skipped: `pan printed no state count (exit ${run.status})` };
    if (/errors: [1-9]/.test(out)) return { skipped: "pan reported an assertion violation: the model is wrong" };
    const t = run.stdout.toString().trim().split("\n").at(-1) ?? "";
    const secs = [...t.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    return { version, states: Number(stored), transitions: Number(trans ?? 0), cpu: (secs[0] ?? 0) + (secs[1] ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
