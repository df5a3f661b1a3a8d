import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinProfiles, hardwareProfileSchema } from "@switchlab/hardware";
import { describe, expect, it } from "vitest";
import { cli } from "./spawn-cli.js";

/**
 * The CLI's answer to every user mistake, as a user sees it: the built CLI in a child process,
 * its exit code, and stderr as exactly one line with no stack trace.
 */
const TMP = mkdtempSync(join(tmpdir(), "switchlab-bad-input-"));
/** A --profile-file with one id twice (a valid profile otherwise). */
const profiles = join(TMP, "profiles.json");
const allowed = new Set(Object.keys(hardwareProfileSchema.shape));
const base = Object.fromEntries(Object.entries(builtinProfiles()[0]!).filter(([k]) => allowed.has(k)));
writeFileSync(
  profiles,
  JSON.stringify([
    { ...base, id: "twice" },
    { ...base, id: "twice" },
  ]),
);

const FIFO = join(TMP, "fifo");
spawnSync("mkfifo", [FIFO]);
const LINK = join(TMP, "link.json");
symlinkSync(join(TMP, "elsewhere.json"), LINK);

const BAD: readonly [string, readonly string[], RegExp][] = [
  [
    "help for a command that does not exist",
    ["help", "nosuch"],
    /^switchlab: help: unknown command 'nosuch'; valid commands: matrix, /,
  ],
  [
    "an empty selection",
    ["matrix", "--policy", ","],
    /^switchlab: --policy "," names no policy; give one or more of: /,
  ],
  [
    "a row timeout Node's timers cannot hold",
    ["matrix", "--row-timeout", "2147484"],
    /^switchlab: --row-timeout must be at most 2147483 s \(0: none\), got 2147484$/,
  ],
  [
    "--out onto a symbolic link",
    ["matrix", "--out", LINK],
    /^switchlab: --out .*link\.json is a symbolic link; give a path to a regular file$/,
  ],
  [
    "--out onto a FIFO",
    ["matrix", "--out", FIFO],
    /^switchlab: --out .*fifo is not a regular file \(a FIFO, socket or device\); give a path to a regular file$/,
  ],
  [
    "an unknown option",
    ["matrix", "--bogus"],
    /^switchlab: unknown option '--bogus' for matrix; valid options: --policy, /,
  ],
  [
    "an option without its value",
    ["matrix", "--policy"],
    /^switchlab: option '--policy <ids>' argument missing; see switchlab matrix --help$/,
  ],
  [
    "an option of another command",
    ["matrix", "--property", "x"],
    /^switchlab: unknown option '--property' for matrix; /,
  ],
  ["an unknown command", ["matrx"], /^switchlab: unknown command 'matrx'; valid commands: matrix, /],
  [
    "an unknown policy",
    ["matrix", "--policy", "nope"],
    /^switchlab: unknown policy 'nope'; valid policies: .*original/,
  ],
  [
    "an unknown format",
    ["matrix", "--format", "xml"],
    /^switchlab: unknown format 'xml'; valid: text, email, markdown, json, junit, tap, html$/,
  ],
  [
    "--out into a missing folder",
    ["matrix", "--out", "/no/such/dir/m.json"],
    /^switchlab: --out \/no\/such\/dir\/m\.json: the folder \/no\/such\/dir does not exist; create it first$/,
  ],
  ["--out onto a folder", ["matrix", "--out", TMP], /^switchlab: --out .* is a directory; give a file name$/],
  ["--max-round-trips 0", ["matrix", "--max-round-trips", "0"], /^switchlab: --max-round-trips must be at least 1$/],
  ["--jobs 0", ["matrix", "--jobs", "0"], /^switchlab: --jobs must be at least 1$/],
  [
    "a row timeout that is not a number",
    ["matrix", "--row-timeout", "soon"],
    /^switchlab: --row-timeout must be a non-negative integer, got 'soon'$/,
  ],
  ["a missing replay file", ["replay", join(TMP, "none.json")], /^switchlab: cannot read replay file /],
  [
    "a profile id twice in --profile-file",
    ["matrix", "--profile-file", profiles],
    /^switchlab: profile id 'twice' appears twice in --profile-file; give each profile its own id$/,
  ],
  [
    "list with an option it does not take",
    ["list", "--format", "json"],
    /^switchlab: unknown option '--format' for list; valid options: --help$/,
  ],
];

describe("bad input: one line on stderr, no stack, exit 2", () => {
  it.each(BAD)("%s", (_what, args, line) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err.trimEnd()).toMatch(line);
    expect(r.out).toBe("");
  });
});
