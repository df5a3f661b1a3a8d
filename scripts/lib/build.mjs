// The build behind `pnpm build` and `pnpm switchlab`: one `tsc -b` over the root tsconfig's
// project references (one compiler process for every package: about 16 s cold here, against
// about 50 s for a tsc process per package under turbo), with a line per project on stderr as
// it builds. A policy that does not compile does not stop the rest: its first error is recorded
// in the build stamp, and discovery reports the policy with that error and skips it. The stamp
// also holds a hash of every build input, so a call with nothing changed skips the compiler.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

/** Where the stamp lives (the CLI reads the policies' build problems from it). */
export const STAMP = "node_modules/.cache/switchlab/build.json";

function filesUnder(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "__tests__" || e.name === "__matrix__" || e.name === "node_modules" || e.name === "dist") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
}

/** The packages and policies of the workspace, as folders relative to the root. */
export function workspaceFolders(root) {
  const out = [];
  for (const top of ["packages", "policies"]) {
    const d = join(root, top);
    if (!existsSync(d)) continue;
    for (const e of readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory() && !e.name.startsWith(".") && existsSync(join(d, e.name, "tsconfig.json")))
        out.push(`${top}/${e.name}`);
  }
  return out.sort();
}

/** A hash of every build input: sources (not tests), package and compiler configs, the lockfile. */
export function sourceHash(root) {
  const files = ["tsconfig.json", "tsconfig.base.json", "pnpm-lock.yaml"].map((f) => join(root, f));
  for (const f of workspaceFolders(root)) {
    files.push(join(root, f, "package.json"), join(root, f, "tsconfig.json"));
    if (existsSync(join(root, f, "src"))) filesUnder(join(root, f, "src"), files);
  }
  const h = createHash("sha256");
  for (const f of files.filter((x) => existsSync(x)).sort()) {
    h.update(relative(root, f));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex");
}

export function readStamp(root) {
  try {
    return JSON.parse(readFileSync(join(root, STAMP), "utf8"));
  } catch {
    return undefined;
  }
}

function writeStamp(root, stamp) {
  const file = join(root, STAMP);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(stamp, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Every folder's built entry is there (a deleted dist/ must rebuild even when the sources did not change). */
function outputsPresent(root) {
  return workspaceFolders(root).every((f) => {
    try {
      const pkg = JSON.parse(readFileSync(join(root, f, "package.json"), "utf8"));
      return existsSync(join(root, f, pkg.main ?? "dist/index.js"));
    } catch {
      return false;
    }
  });
}

/**
 * Bring dist/ up to date. Returns { ok, skipped, problems, errors }: ok is false when a package
 * (not a policy) fails to compile; problems lists the policies that do not compile, with the
 * compiler's first error. `log` receives progress lines.
 */
export async function build(root, { log = () => {}, force = false } = {}) {
  const hash = sourceHash(root);
  const old = readStamp(root);
  if (!force && old?.hash === hash && outputsPresent(root))
    return { ok: true, skipped: true, problems: old.problems ?? [], errors: [] };
  const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
  const projects = workspaceFolders(root);
  // Build every folder of the workspace, whether or not the root tsconfig lists it (a policy
  // added by hand, or copied in, builds too): a generated solution file next to the stamp.
  const solution = join(root, dirname(STAMP), "tsconfig.build.json");
  mkdirSync(dirname(solution), { recursive: true });
  writeFileSync(
    solution,
    `${JSON.stringify({ files: [], references: projects.map((f) => ({ path: relative(dirname(solution), join(root, f)) })) }, null, 2)}\n`,
  );
  let built = 0;
  const errors = [];
  let rest = "";
  const onLine = (line) => {
    const m = /Building project '(.*)\/tsconfig\.json'/.exec(line);
    if (m) log(`switchlab: compiling ${relative(root, m[1]) || "."} (${++built} of at most ${projects.length})`);
    else if (/\): error TS\d+:/.test(line) || /^error TS\d+:/.test(line)) errors.push(line.trim());
  };
  const code = await new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [tsc, "-b", solution, "--verbose", "--pretty", "false"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const take = (chunk) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      lines.forEach(onLine);
    };
    p.stdout.setEncoding("utf8").on("data", take);
    p.stderr.setEncoding("utf8").on("data", take);
    p.on("error", reject);
    p.on("close", (c) => {
      if (rest) onLine(rest);
      resolve(c ?? 1);
    });
  });
  const policyOf = (line) => /^(?:\.\/)?policies\/([^/]+)\//.exec(line)?.[1];
  const problems = [];
  for (const line of errors) {
    const folder = policyOf(line);
    if (folder && !problems.some((p) => p.folder === folder))
      problems.push({ folder, path: join(root, "policies", folder), message: `does not compile: ${line}` });
  }
  const coreErrors = errors.filter((l) => !policyOf(l));
  const ok = coreErrors.length === 0 && (code === 0 || errors.length > 0);
  if (ok) writeStamp(root, { hash, problems });
  return {
    ok,
    skipped: false,
    problems,
    errors: coreErrors.length ? coreErrors : ok ? [] : [`tsc -b exited with ${code}`],
  };
}

/** Seconds since a start, for the build's own message (display only). */
export function since(t0) {
  return ((Date.now() - t0) / 1000).toFixed(1);
}
