import "reflect-metadata";
import { ANSWER_WIDTH, renderAnswer, renderEmail, renderHtml, renderJunit, renderMarkdown } from "@switchlab/report";
import { describe, expect, it } from "vitest";
import { artifact } from "./artifact.js";

/** The default matrix as a maintainer posts it: to a list (e-mail) or an issue (Markdown). */
describe("the default matrix's reports fit where they are posted", () => {
  const { m } = artifact();

  it("e-mail under 64 KB, 72 columns, ASCII; Markdown at most 50,000 characters (GitHub takes 65,536)", () => {
    const email = renderEmail(m);
    expect(Buffer.byteLength(email)).toBeLessThan(64 * 1024);
    for (const line of email.split("\n")) expect(line).toMatch(/^[\x20-\x7e]{0,72}$/);
    expect(renderMarkdown(m).length).toBeLessThanOrEqual(50_000);
  });

  it("HTML at most 5 MB (each distinct counterexample once, decoded when clicked); JUnit at most 2 MB", () => {
    expect(Buffer.byteLength(renderHtml(m))).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(Buffer.byteLength(renderJunit(m))).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it("the answer fits one screen: at most 60 lines, none wider than 100 columns", () => {
    const lines = renderAnswer(m).trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(60);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(ANSWER_WIDTH);
    // Every policy of the run has its row.
    for (const p of m.policies) expect(lines.some((l) => l.startsWith(`${p.id} `))).toBe(true);
  });

  it("the JSON is at most 15 MB (it is the artifact itself)", () => {
    expect(Buffer.byteLength(artifact().text)).toBeLessThanOrEqual(15 * 1024 * 1024);
  });

  it("the e-mail's long form carries every failing cell", () => {
    const fails = m.cells.filter((x) => x.verdict === "violated").length;
    expect(fails).toBeGreaterThan(0);
    expect(renderEmail(m, { full: true }).match(/^ {2}[a-z-]+ violated$/gm)?.length).toBe(fails);
  });
});
