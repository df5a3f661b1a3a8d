import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Each model package's README file table names every source file under its src/ (tests and
// dist aside), and nothing else: a file added, renamed or removed without its row fails here.
const PACKAGES = fileURLToPath(new URL("../../../", import.meta.url));

function sourceFiles(src: string, dir: string = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return d.name === "__tests__" ? [] : sourceFiles(src, join(dir, d.name));
    return d.name.endsWith(".ts") ? [relative(src, join(dir, d.name)).split("\\").join("/")] : [];
  });
}

/** The backquoted `*.ts` names in the first cell of each row of the table headed `| file |`. */
function tableFiles(md: string): string[] {
  const lines = md.split("\n");
  const head = lines.findIndex((l) => /^\|\s*file\s*\|/.test(l));
  if (head < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(head + 2)) {
    if (!l.startsWith("|")) break;
    const cell = l.split("|")[1] ?? "";
    for (const m of cell.matchAll(/`([^`]+\.ts)`/g)) if (m[1]) out.push(m[1]);
  }
  return out;
}

for (const pkg of ["hardware", "perf", "kvm"])
  describe(`packages/${pkg}/README.md`, () => {
    const src = join(PACKAGES, pkg, "src");
    const files = sourceFiles(src).sort();
    const named = tableFiles(readFileSync(join(PACKAGES, pkg, "README.md"), "utf8"));
    it("has a file table", () => expect(named.length).toBeGreaterThan(0));
    it("names every source file under src/", () => {
      expect(files.filter((f) => !named.includes(f))).toEqual([]);
    });
    it("names no file that does not exist", () => {
      expect(named.filter((f) => !files.includes(f))).toEqual([]);
    });
  });
