import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { EMAIL_WIDTH, renderEmail } from "../email.js";
import { renderJunit } from "../junit.js";
import { renderMarkdown } from "../markdown.js";
import { smallMatrix } from "./fixture.js";

const m = smallMatrix();

describe("e-mail format", () => {
  const text = renderEmail(m);
  const full = renderEmail(m, { full: true });

  it("fits 72 columns and is plain ASCII, in both forms", () => {
    for (const line of `${text}${full}`.split("\n")) {
      expect(line.length).toBeLessThanOrEqual(EMAIL_WIDTH);
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it("by default: a row per policy with a column per profile, then one counterexample per (policy, property)", () => {
    expect(text).toContain("  A skylake-server-no-isolation");
    // Policies are numbered in the compact tables: upstream is p1.
    expect(text).toMatch(/^ {2}p1 +upstream$/m);
    expect(text).toMatch(/^ {2}p1 +\.\.\.X/m);
    const violated = m.cells.filter((c) => c.verdict === "violated");
    const groups = new Set(violated.map((c) => `${c.policy} / ${c.property}`));
    for (const g of groups) expect(text).toMatch(new RegExp(`^${g}: violated in \\d+ cells?$`, "m"));
    expect(text.match(/^ {2}reproduce:$/gm)?.length).toBe(groups.size);
    // Every violated cell is either shown or named among "the others" of its group.
    for (const c of violated)
      expect(text.includes(`shown: ${c.profile} / ${c.scenario}`) || text.includes(`${c.scenario}: A`)).toBe(true);
    expect(text).not.toContain("<atomic_switch_perf_msrs");
  });

  it("with --full: every violation with its trace", () => {
    expect(full).toContain("throttle-window (v5.11) on skylake-server-no-isolation:");
    const fails = m.cells.filter((c) => c.verdict === "violated").length;
    expect(full.match(/^ {2}[a-z-]+ violated$/gm)?.length).toBe(fails);
    expect(full).toContain("<atomic_switch_perf_msrs");
  });
});

describe("JUnit format", () => {
  const xml = renderJunit(m);

  it("validates against the JUnit XML schema (libxml2's xmllint, as WebAssembly from npm)", async () => {
    const xsd = readFileSync(new URL("./junit.xsd", import.meta.url), "utf8");
    const r = await validateXML({ xml: [{ fileName: "junit.xml", contents: xml }], schema: [xsd] });
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it("the schema check can fail: a testcase without a name is refused", async () => {
    const xsd = readFileSync(new URL("./junit.xsd", import.meta.url), "utf8");
    const bad = xml.replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"');
    const r = await validateXML({ xml: [{ fileName: "junit.xml", contents: bad }], schema: [xsd] });
    expect(r.valid).toBe(false);
  });

  it("has a test case per (policy, scenario, property): a failure where a CPU violates it, skipped where none applies", () => {
    const key = (c: { policy: string; scenario: string; property: string }) =>
      `${c.policy}/${c.scenario}/${c.property}`;
    const groups = new Map<string, string[]>();
    for (const c of m.cells) groups.set(key(c), [...(groups.get(key(c)) ?? []), c.verdict]);
    const vs = [...groups.values()];
    expect(xml.match(/<testcase /g)?.length).toBe(groups.size);
    expect(xml.match(/<failure [^>]*type="violated"/g)?.length).toBe(vs.filter((v) => v.includes("violated")).length);
    expect(xml.match(/<skipped /g)?.length).toBe(vs.filter((v) => v.every((x) => x === "not-applicable")).length);
    expect(xml).toContain('<failure message="guest page fault at 0xfffffe000000c000 + 0x38');
    expect(xml).toMatch(/violated on: [a-z-]+/);
    expect(xml).toContain("pnpm switchlab check --policy ");
  });
});

describe("Markdown format", () => {
  it("by default: the answer, then one counterexample per (policy, property); no trace", () => {
    const md = renderMarkdown(m);
    expect(md.indexOf("```text\nswitchlab matrix: ")).toBeGreaterThan(0);
    expect(md).not.toContain("## throttle-window (v5.11)");
    const groups = new Set(m.cells.filter((c) => c.verdict === "violated").map((c) => `${c.policy}/${c.property}`));
    expect(md.match(/<details>/g)?.length).toBe(groups.size);
    expect(md).not.toContain("   1  root ");
  });

  it("with --details: a compact table per scenario as well", () => {
    const md = renderMarkdown(m, { details: true });
    expect(md).toContain("## throttle-window (v5.11)");
    expect(md).toContain("Profiles: **A** skylake-server-no-isolation, **B** icelake-server.");
    expect(md).toMatch(/^\| upstream \| `\.\.\.X/m);
    const groups = new Set(m.cells.filter((c) => c.verdict === "violated").map((c) => `${c.policy}/${c.property}`));
    expect(md.match(/<details>/g)?.length).toBe(groups.size);
  });

  it("with --full: a row per policy and profile, and collapsible traces", () => {
    const md = renderMarkdown(m, { full: true });
    expect(md).toContain("| upstream | skylake-server-no-isolation | ok | ok | ok | **FAIL** |");
    expect(md).toContain("Assumptions: kernel v5.11, PMI latency 512 insns");
    expect(md.match(/<details>/g)?.length).toBe(m.cells.filter((c) => c.verdict === "violated").length);
    expect(md).toContain("```text\n   1  root      vcpu_enter_guest:local_irq_disable");
  });
});
