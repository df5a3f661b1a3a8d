import "reflect-metadata";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROPERTIES } from "@switchlab/conformance";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { README_HEADINGS } from "../scaffold/templates.js";
import { capture } from "./capture.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));

/** A scratch root with plugin fixtures (built JavaScript, as discovery imports dist/). */
function scratch(plugins: Record<string, { pkg?: object; js?: string }>): string {
  const root = mkdtempSync(join(tmpdir(), "switchlab-plugins-"));
  for (const [folder, p] of Object.entries(plugins)) {
    const dir = join(root, "policies", folder);
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify(p.pkg ?? { name: `x-${folder}`, switchlab: { kind: "policy" }, main: "./dist/index.js" }),
    );
    if (p.js !== undefined) writeFileSync(join(dir, "dist", "index.js"), p.js);
  }
  return root;
}

const manifest = (id: string, extra = "") =>
  `export default { contract: 1, id: "${id}", title: "t", summary: "s", upstream: { cite: "c", url: "https://lore.kernel.org/x" }, touches: []${extra} };`;

afterEach(() => {
  delete process.env.SWITCHLAB_ROOT;
});

describe("plugin discovery and isolation", () => {
  it("reports broken plugins with their paths and runs the rest of the matrix", async () => {
    process.env.SWITCHLAB_ROOT = scratch({
      good: { js: manifest("good") },
      throws: { js: 'throw new Error("boom at load");' },
      "bad-manifest": { js: 'export default { contract: 1, id: "bad-manifest", title: "t" };' },
      misnamed: { js: manifest("other-name") },
      "dup-a": { js: manifest("dup-a") },
      "not-a-policy": { pkg: { name: "helper" }, js: "export default 1;" },
      "runtime-throws": { js: manifest("runtime-throws", ', register() { throw new Error("hook failed"); }') },
    });
    const io = capture();
    const code = await main(
      [
        "matrix",
        "--profile",
        "icelake-server",
        "--kernel",
        "own",
        "--scenario",
        "lists-full",
        "--format",
        "json",
        "--quiet",
      ],
      io,
    );
    expect(code).toBe(0);
    const m = JSON.parse(io.o);
    expect(m.policies.map((p: { id: string }) => p.id)).toEqual(["dup-a", "good", "runtime-throws"]);
    const problems = m.problems.map(
      (p: { path: string; message: string }) => `${p.path.split("/").pop()}: ${p.message}`,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^bad-manifest: invalid manifest: field "summary"/),
      'misnamed: policy id "other-name" does not match its folder name "misnamed"',
      "throws: boom at load",
    ]);
    expect(io.e).toContain("plugin skipped: ");
    const errs = m.cells.filter((c: { policy: string }) => c.policy === "runtime-throws");
    expect(
      errs.every(
        (c: { verdict: string; message: string }) =>
          c.verdict === "error" &&
          /^hook failed \(at \/.*\/policies\/runtime-throws\/dist\/index\.js:1\)$/.test(c.message),
      ),
    ).toBe(true);
    expect(
      m.cells.filter((c: { policy: string; verdict: string }) => c.policy === "good" && c.verdict !== "error").length,
    ).toBe(PROPERTIES.length);
  });

  it("a duplicate id is reported for the second folder", async () => {
    process.env.SWITCHLAB_ROOT = scratch({ "dup-a": { js: manifest("dup-a") }, "dup-b": { js: manifest("dup-a") } });
    const io = capture();
    await main(["list"], io);
    expect(io.e).toMatch(/dup-b: duplicate policy id "dup-a" \(also in [^)]*\/policies\/dup-a\)/);
    expect(io.o).toContain("  dup-a ");
  });
});

describe("new-policy", () => {
  it("refuses an existing id or an invalid name and writes nothing", async () => {
    const root = mkdtempSync(join(tmpdir(), "switchlab-new-"));
    mkdirSync(join(root, "policies", "taken"), { recursive: true });
    process.env.SWITCHLAB_ROOT = root;
    const io = capture();
    expect(await main(["new-policy", "taken"], io)).toBe(2);
    expect(io.e).toContain("policy 'taken' exists already");
    expect(await main(["new-policy", "Bad_Name"], io)).toBe(2);
    expect(io.e).toContain("'Bad_Name' is not a valid policy id");
    expect(readdirSync(join(root, "policies"))).toEqual(["taken"]);
    expect(existsSync(join(root, "policies", "taken", "package.json"))).toBe(false);
  });
});

describe("every plugin in policies/", () => {
  const folders = readdirSync(join(REPO, "policies"))
    .filter((f) => !f.startsWith("."))
    .sort();

  it("is a valid plugin that loads without problems", async () => {
    const io = capture();
    expect(await main(["list"], io)).toBe(0);
    expect(io.e).toBe("");
    for (const f of folders) expect(io.o).toContain(`  ${f} `);
  });

  for (const f of folders) {
    it(`${f}: README has the headings users need, and expected.json is recorded`, () => {
      const readme = readFileSync(join(REPO, "policies", f, "README.md"), "utf8");
      for (const h of README_HEADINGS) expect(readme).toContain(`\n## ${h}\n`);
      expect(readme).toContain(`pnpm switchlab matrix --policy ${f}`);
      expect(JSON.parse(readFileSync(join(REPO, "policies", f, "expected.json"), "utf8")).policy).toBe(f);
    });
  }

  it("appears in the matrix", async () => {
    const io = capture();
    expect(
      await main(
        ["matrix", "--profile", "icelake-server", "--scenario", "no-host-pebs", "--format", "json", "--quiet"],
        io,
      ),
    ).toBe(0);
    const m = JSON.parse(io.o);
    expect(m.policies.map((p: { id: string }) => p.id)).toEqual(folders);
    expect(new Set(m.costs.map((c: { policy: string }) => c.policy))).toEqual(new Set(folders));
  });
});

describe("--costs", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchlab-costs-"));
  const table = JSON.parse(
    JSON.stringify({
      schema: "switchlab.costs/1",
      estimates: false,
      sources: ["mine"],
      cycles: { baseRoundTrip: 1, wrmsr: 1, entryLoad: 1, exitLoad: 1, fieldLoad: 1 },
    }),
  );

  it("takes another table", async () => {
    writeFileSync(join(dir, "ok.json"), JSON.stringify(table));
    const io = capture();
    expect(
      await main(
        [
          "matrix",
          "--policy",
          "original",
          "--profile",
          "emerald-rapids",
          "--scenario",
          "host-pebs-v616",
          "--costs",
          join(dir, "ok.json"),
          "--format",
          "json",
          "--quiet",
        ],
        io,
      ),
    ).toBe(0);
    const c = JSON.parse(io.o).costs[0];
    // The ledger's round trip (pinned: 2 field loads of GLOBAL_CTRL; DS_AREA, PEBS_DATA_CFG and
    // PEBS_ENABLE on both lists; the zeroing WRMSR), priced at 1 each plus a base of 1.
    expect([c.fieldLoads, c.entryLoads, c.exitLoads, c.wrmsr]).toEqual([2, 3, 3, 1]);
    expect(c.cyclesPerRoundtrip).toBe(10);
  });

  it("refuses a missing or negative entry, naming it", async () => {
    const { wrmsr: _, ...missing } = table.cycles;
    writeFileSync(join(dir, "missing.json"), JSON.stringify({ ...table, cycles: missing }));
    writeFileSync(join(dir, "negative.json"), JSON.stringify({ ...table, cycles: { ...table.cycles, exitLoad: -5 } }));
    const a = capture();
    expect(await main(["matrix", "--costs", join(dir, "missing.json")], a)).toBe(2);
    expect(a.e).toContain('cost entry "cycles.wrmsr" is missing or not a number');
    const b = capture();
    expect(await main(["matrix", "--costs", join(dir, "negative.json")], b)).toBe(2);
    expect(b.e).toContain('cost entry "cycles.exitLoad" must not be negative');
  });
});

describe("show-policy", () => {
  it("prints the services a policy overrides and its steps as a diff against original", async () => {
    const io = capture();
    expect(await main(["show-policy", "quiesce-global-ctrl"], io)).toBe(0);
    expect(io.o).toContain(
      "+ atomic_switch_perf_msrs:wrmsr-global-ctrl-0    [atomic_switch_perf_msrs, arch/x86/kvm/vmx/vmx.c, patch on v5.11]",
    );
    const io2 = capture();
    expect(await main(["show-policy", "isolation-aware"], io2)).toBe(0);
    expect(io2.o).toContain("IntelCore (arch/x86/events/intel/core.c) -> IntelCoreIsolationAware: perfGuestGetMsrs");
  });
});
