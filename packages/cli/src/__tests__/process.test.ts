import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cli, REPO } from "./spawn-cli.js";

/**
 * The CLI as a process, as a user runs it (the built CLI in a child process): help, --out in
 * every format, a reader that closes the pipe, a signal. Its answers to user mistakes are
 * bad-input.test.ts.
 */
const TMP = mkdtempSync(join(tmpdir(), "switchlab-process-"));

/** The pids of CLI processes (packages/cli/dist/bin.js) whose arguments name `arg`, from /proc. */
function cliPids(arg: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
      if (argv.some((a) => a.endsWith("cli/dist/bin.js")) && argv.includes(arg)) pids.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Resolve once `cond` holds, polling; the test has no timeout, CI's own limit bounds it. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
}

describe("the CLI as a process", () => {
  it("--help and -h print help and exit 0, for the program and each command", () => {
    for (const args of [["--help"], ["-h"], ["help"], ["matrix", "--help"], ["help", "frontier"]]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: switchlab /);
      expect(r.err).toBe("");
    }
    expect(cli(["help"]).out).toContain("Formats: matrix and check text, email, markdown, json, junit, tap, html");
  });

  it("record-expected with an unknown policy exits 2 naming it", () => {
    const r = spawnSync(process.execPath, [join(REPO, "scripts", "record-expected.mjs"), "no-such-policy"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(
      /^record-expected: unknown policy 'no-such-policy'; valid policies: .*original/,
    );
  });

  it("a reader that closes the pipe early ends the CLI quietly", async () => {
    const child = spawn(process.execPath, [BIN, "list"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => {
      err += String(d);
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(0);
    expect(err).toBe("");
  });

  it("check --out writes the file in every format", () => {
    for (const format of ["text", "json", "markdown"]) {
      const out = join(TMP, `check.${format}`);
      const r = cli([
        "check",
        "--policy",
        "original",
        "--profile",
        "icelake-server",
        "--scenario",
        "lists-full",
        "--format",
        format,
        "--out",
        out,
      ]);
      expect(r.code).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(r.out).toBe("");
    }
  });

  it("SIGTERM to pnpm switchlab stops the CLI and leaves no --out file, whole or partial", async () => {
    const out = join(TMP, "stopped.json");
    // A root whose one policy spins in a step for ever: the CLI is still running when it is
    // stopped, however fast or slow this machine is and whatever the row cache holds.
    const root = join(TMP, "spins");
    mkdirSync(join(root, "policies"), { recursive: true });
    symlinkSync(join(REPO, "fixtures", "broken-plugins", "hook-loops"), join(root, "policies", "hook-loops"));
    const child = spawn(
      "pnpm",
      ["-s", "switchlab", "matrix", "--policy", "hook-loops", "--quiet", "--format", "json", "--out", out],
      { cwd: REPO, env: { ...process.env, SWITCHLAB_NO_BUILD: "1", SWITCHLAB_ROOT: root }, stdio: "ignore" },
    );
    const closed = new Promise((r) => child.on("close", r));
    // No clock: wait until the CLI itself runs, stop pnpm, then wait until no CLI process is left.
    await until(() => cliPids(out).length > 0);
    expect(child.kill("SIGTERM")).toBe(true);
    await closed;
    await until(() => cliPids(out).length === 0);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(TMP).filter((f) => f.includes("stopped"))).toEqual([]);
  });
});
