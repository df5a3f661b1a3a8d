import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EMAIL_WIDTH, renderEmail } from "../email.js";
import { renderJunit } from "../junit.js";
import { renderMarkdown } from "../markdown.js";
import { smallMatrix } from "./fixture.js";

const m = smallMatrix();

describe("e-mail format", () => {
  const text = renderEmail(m);

  it("fits 72 columns and is plain ASCII", () => {
    for (const line of text.split("\n")) {
      expect(line.length).toBeLessThanOrEqual(EMAIL_WIDTH);
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it("has the matrix, then each violation with its trace", () => {
    expect(text).toContain("throttle-window (v5.11) on skylake-server-no-isolation:");
    const fails = m.cells.filter((c) => c.verdict === "violated").length;
    expect(text.match(/^ {2}[a-z-]+ violated$/gm)?.length).toBe(fails);
    expect(text).toContain("<atomic_switch_perf_msrs");
  });
});

describe("JUnit format", () => {
  const xml = renderJunit(m);

  it("validates against the JUnit XML schema (xmllint)", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchlab-junit-"));
    writeFileSync(join(dir, "out.xml"), xml);
    const xsd = fileURLToPath(new URL("./junit.xsd", import.meta.url));
    const out = execFileSync("xmllint", ["--noout", "--schema", xsd, join(dir, "out.xml")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toBe("");
  });

  it("has a test case per cell; violations are failures with the symptom, n/a are skipped", () => {
    expect(xml.match(/<testcase /g)?.length).toBe(m.cells.length);
    expect(xml.match(/<failure /g)?.length).toBe(m.cells.filter((c) => c.verdict === "violated").length);
    expect(xml.match(/<skipped /g)?.length).toBe(m.cells.filter((c) => c.verdict === "not-applicable").length);
    expect(xml).toContain('<failure message="guest page fault at 0xfffffe000000c000 + 0x38');
  });
});

describe("Markdown format", () => {
  it("has a table per scenario and collapsible traces", () => {
    const md = renderMarkdown(m);
    expect(md).toContain("## throttle-window (v5.11)");
    expect(md).toContain("| upstream | skylake-server-no-isolation | ok | ok | **FAIL** |");
    expect(md.match(/<details>/g)?.length).toBe(m.cells.filter((c) => c.verdict === "violated").length);
    expect(md).toContain("```text\n   1  root      vcpu_enter_guest:local_irq_disable");
  });
});
