import { describe, expect, it } from "vitest";
import { renderTap } from "../tap.js";
import { smallMatrix } from "./fixture.js";

/**
 * KTAP as Documentation/dev-tools/ktap.rst defines it: a version line, a plan, then result lines
 * "ok|not ok N description [# directive]"; a subtest is indented four spaces, has its own version
 * line and plan, and is followed by its parent's result line. Checked by a small parser here.
 */
const RESULT = /^(ok|not ok) (\d+) ([^#]+?)(?: # (.*))?$/;

function parse(lines: string[], indent: string): { tests: { ok: boolean; directive?: string; subtests: number }[] } {
  expect(lines[0]).toBe(`${indent}KTAP version 1`);
  const tests: { ok: boolean; directive?: string; subtests: number }[] = [];
  let i = 1;
  let plan = -1;
  let sub: string[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.startsWith(`${indent}    `)) {
      sub.push(l);
      continue;
    }
    const body = l.slice(indent.length);
    if (body.startsWith("#")) continue;
    if (/^1\.\.\d+$/.test(body)) {
      plan = Number(body.slice(3));
      continue;
    }
    const r = RESULT.exec(body);
    expect(r, `a result line: '${l}'`).not.toBeNull();
    expect(Number(r?.[2])).toBe(tests.length + 1);
    const subtests = sub.length ? parse(sub, `${indent}    `).tests.length : 0;
    sub = [];
    tests.push({ ok: r?.[1] === "ok", subtests, ...(r?.[4] ? { directive: r[4] } : {}) });
  }
  expect(tests.length).toBe(plan);
  return { tests };
}

describe("--format tap", () => {
  const m = smallMatrix();
  const text = renderTap(m);
  const top = parse(text.trimEnd().split("\n"), "").tests;

  it("is KTAP: one test point per (policy, property), its rows as subtests, plans that count them", () => {
    const pairs = new Set(m.cells.map((c) => `${c.policy}:${c.property}`));
    expect(top).toHaveLength(pairs.size + m.problems.length);
    expect(top.reduce((n, t) => n + t.subtests, 0)).toBe(m.cells.length);
  });

  it("only holds passes: a point fails when one of its rows is violated, unknown, vacuous or in error", () => {
    const failing = new Set(
      m.cells
        .filter((c) => c.verdict !== "holds" && c.verdict !== "not-applicable")
        .map((c) => `${c.policy}:${c.property}`),
    );
    expect(top.filter((t) => !t.ok)).toHaveLength(failing.size);
    expect(text.match(/^ {4}not ok \d+ /gm)?.length).toBe(
      m.cells.filter((c) => c.verdict !== "holds" && c.verdict !== "not-applicable").length,
    );
    expect(text.match(/^ {4}ok \d+ .* # SKIP /gm)?.length ?? 0).toBe(
      m.cells.filter((c) => c.verdict === "not-applicable").length,
    );
  });

  it("is plain ASCII, each violation followed by its reproduce line", () => {
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(text.match(/^ {4}# reproduce: pnpm switchlab check /gm)?.length).toBe(
      m.cells.filter((c) => c.counterexample).length,
    );
  });
});
