import "reflect-metadata";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromJsonForm } from "@switchlab/conformance";
import { classify, eventKindOf } from "@switchlab/report";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

/**
 * switchlab export-selftest on one row: the original guest #PF cell (skylake-server-no-isolation,
 * handoff-guest-counter, no-guest-pf-on-host-ds), from a replay file and from a one-row matrix.
 */
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const BIN = join(REPO, "packages", "cli", "dist", "bin.js");
const TMP = mkdtempSync(join(tmpdir(), "switchlab-selftest-"));
const ROW = ["--policy", "original", "--profile", "skylake-server-no-isolation"];
const SCENARIO = ["--scenario", "handoff-guest-counter"];
const CEX = join(TMP, "cex.json");
const MATRIX = join(TMP, "row.json");
/** The properties the one-row matrix (MATRIX) violates, read from it. */
const violatedProperties = (): string[] =>
  fromJsonForm(JSON.parse(readFileSync(MATRIX, "utf8")))
    .cells.filter((c) => c.verdict === "violated")
    .map((c) => c.property);

async function run(args: readonly string[]) {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.o, err: io.e };
}

beforeAll(async () => {
  const save = await run(["check", ...ROW, ...SCENARIO, "--property", "no-guest-pf-on-host-ds", "--save", CEX]);
  expect(save.code).toBe(0);
  const m = await run(["check", ...ROW, ...SCENARIO, "--format", "json", "--out", MATRIX]);
  expect(m.code).toBe(0);
});

describe("switchlab export-selftest", () => {
  it("the guest #PF cell: one step comment per trace step, in order, the PF oracle, the TEST_REQUIREs", async () => {
    const r = await run(["export-selftest", CEX]);
    expect(r.code).toBe(0);
    const choices = JSON.parse(readFileSync(CEX, "utf8")).choices as string[];
    let at = 0;
    choices.forEach((choice, i) => {
      const i0 = r.out.indexOf(`/* step ${i + 1}: ${choice} — `, at);
      expect(i0, `step ${i + 1}`).toBeGreaterThan(at);
      at = i0;
    });
    expect(r.out.match(/\/\* step \d+: /g)).toHaveLength(choices.length);
    // The PMI's step (where among the shortest counterexamples' equal-length paths the search
    // puts it is not this test's business): its handler cited, and marked amplified.
    const k = choices.findIndex((c) => c.startsWith("nmi@"));
    expect(k).toBeGreaterThanOrEqual(0);
    expect(r.out).toContain(`/* step ${k + 1}: ${choices[k]} — default_do_nmi [arch/x86/kernel/nmi.c v5.11]`);
    expect(r.out).toMatch(new RegExp(`step ${k + 1}: nmi@[^\\n]*\\n\\s+\\* amplified: `));
    expect(r.out).toMatch(/step 17: vmexit:slow@guest[^\n]*\n\s+\* steerable: [^\n]*\n\s+GUEST_SYNC\(1\);/);
    expect(r.out).toMatch(/guest_counter_arm\(0\);\n\s+guest_spin[^\n]*\n\s+\/\* step 38: overflow0@guest:running/);
    expect(r.out).toContain("vm_install_exception_handler(vm, PF_VECTOR, guest_pf_handler);");
    expect(r.out).toContain("__GUEST_ASSERT((cr2 & 0xfff) != 0x38,");
    for (const req of [
      "TEST_REQUIRE(host_cpu_is_intel);",
      "TEST_REQUIRE(kvm_is_pmu_enabled());",
      "TEST_REQUIRE(kvm_cpu_property(X86_PROPERTY_PMU_VERSION) >= 4);",
      "TEST_REQUIRE(this_cpu_has(X86_FEATURE_DS));",
      "TEST_REQUIRE(host_microcode() <= 0x20);",
    ])
      expect(r.out).toContain(req);
    expect(r.out).toContain("attr.precise_ip = 2;");
    expect(r.out).toContain("attr.exclude_guest = 1;");
    expect(r.out).toContain('"/proc/sys/kernel/perf_event_max_sample_rate"');
    expect(r.out).toContain("Running it needs an Intel host with KVM");
    expect(r.out).not.toContain("GAP:");
    expect(r.out).toMatch(/vm = vm_create_with_one_vcpu\(&vcpu, guest_code\);/);
  });

  it("the same cell from a matrix JSON gives the same C but its reproduce line; same input, same bytes", async () => {
    const a = await run(["export-selftest", MATRIX, ...SCENARIO, "--property", "no-guest-pf-on-host-ds"]);
    const b = await run(["export-selftest", MATRIX, ...SCENARIO, "--property", "no-guest-pf-on-host-ds"]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const fromReplay = (await run(["export-selftest", CEX])).out;
    const body = (s: string) => s.slice(s.indexOf(" * Needs (TEST_REQUIRE):"));
    expect(body(a.out)).toBe(body(fromReplay));
    expect(a.out).toContain(
      " *   pnpm switchlab check --policy original --profile skylake-server-no-isolation --scenario handoff-guest-counter --property no-guest-pf-on-host-ds",
    );
  });

  it("--out-dir: the shortest counterexample of each violated property of the row, one file each", async () => {
    const dir = mkdtempSync(join(TMP, "out-"));
    const r = await run(["export-selftest", MATRIX, "--out-dir", dir]);
    expect(r.code).toBe(0);
    // One file per property the row violates, as the matrix says.
    const violated = violatedProperties();
    expect(violated).toContain("host-pebs-enable-fresh");
    expect((await run(["export-selftest", MATRIX])).err).toContain(`${violated.length} violated cells match`);
    expect(readdirSync(dir).sort()).toEqual(
      violated.map((p) => `switchlab_original__${p.replace(/-/g, "_")}.c`).sort(),
    );
    const msr = readFileSync(join(dir, "switchlab_original__host_pebs_enable_fresh.c"), "utf8");
    expect(msr).toContain("host_msr_read(HOST_CPU, 0x3f1)");
    expect(msr).toContain("ioctl(host_fd[j], PERF_EVENT_IOC_DISABLE, 0);");
  });
});

describe("a mediated row's reproducers (guest PMU writes, NMIs from another source)", () => {
  it("define no static function they do not call: the selftests build with -Werror (unused-function)", async () => {
    const m = join(TMP, "mediated.json");
    const row = ["--policy", "original", "--profile", "sapphire-rapids", "--scenario", "mediated-host-sampling"];
    expect((await run(["check", ...row, "--format", "json", "--out", m])).code).toBe(0);
    const dir = mkdtempSync(join(TMP, "mediated-"));
    expect((await run(["export-selftest", m, "--out-dir", dir])).code).toBe(0);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const c = readFileSync(join(dir, f), "utf8");
      for (const [, name] of c.matchAll(/^static [a-z_0-9 ]+?\*?\s*([a-z_0-9]+)\(/gm))
        expect(c.match(new RegExp(`\\b${name}\\b`, "g"))?.length, `${f}: ${name}`).toBeGreaterThan(1);
    }
  });
});

describe("classification", () => {
  it("maps an event kind to its class", () => {
    expect(eventKindOf("nmi@vmx_vcpu_run:vm-entry")).toEqual({ kind: "nmi", arg: "" });
    expect(eventKindOf("overflow1@guest:running")).toEqual({ kind: "overflow", arg: "1" });
    expect(eventKindOf("sched:pebs-out-guest-in@vcpu_enter_guest:irqs-on")).toEqual({
      kind: "sched",
      arg: "pebs-out-guest-in",
    });
    expect(eventKindOf("perf_event_sched:event_sched_out[pebs-out-guest-in]").kind).toBe("step");
    const cls = (k: Parameters<typeof classify>[0], o: Parameters<typeof classify>[1] = {}) => classify(k, o).cls;
    expect(cls("step", { lane: "kvm" })).toBe("steerable");
    expect(cls("exit", { arg: "slow" })).toBe("steerable");
    expect(cls("exit", { arg: "fastpath" })).toBe("steerable");
    expect(cls("overflow", { arg: "0", guestCounter: true })).toBe("steerable");
    expect(cls("overflow", { arg: "0", guestCounter: false })).toBe("amplified");
    expect(cls("nmi")).toBe("amplified");
    expect(eventKindOf("other-nmi@perf_load_guest_lvtpc:guest_lvtpc_loaded")).toEqual({ kind: "nmi", arg: "other" });
    expect(classify("nmi", { arg: "other" }).how).toMatch(/not a PMI/);
    expect(eventKindOf("vmexit:extint@guest")).toEqual({ kind: "exit", arg: "extint" });
    expect(cls("exit", { arg: "extint" })).toBe("amplified");
    expect(cls("latent", { arg: "0" })).toBe("amplified");
    expect(cls("tick")).toBe("amplified");
    expect(cls("sched", { arg: "x" })).toBe("amplified");
    expect(cls("step", { lane: "host", host: "amplified" })).toBe("amplified");
    expect(cls("entry-fail")).toBe("unreachable");
  });
});

describe("bad input: one line on stderr, exit 2", () => {
  function cli(args: readonly string[]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8" });
    return { code: r.status, err: r.stderr };
  }
  const BAD: readonly [string, () => readonly string[], RegExp][] = [
    [
      "a missing file",
      () => ["export-selftest", join(TMP, "nope.json")],
      /cannot read .*nope\.json; give a replay file/,
    ],
    ["not JSON", () => ["export-selftest", write("x.json", "{")], /x\.json: not valid JSON/],
    [
      "another schema",
      () => ["export-selftest", write("y.json", '{"schema":"z"}')],
      /not a replay file .* schema: "z"/,
    ],
    [
      "a cell that holds",
      () => ["export-selftest", MATRIX, "--property", "no-unknown-nmi"],
      /no cell of --property no-unknown-nmi is violated \(holds\), so there is no counterexample to export/,
    ],
    [
      "an unknown policy",
      () => ["export-selftest", MATRIX, "--policy", "bogus"],
      /unknown policy 'bogus' in the matrix; valid policies: original/,
    ],
    [
      "an unknown property",
      () => ["export-selftest", CEX, "--property", "bogus"],
      /unknown property 'bogus'; valid properties: /,
    ],
    // How many match is checked against the matrix in the --out-dir test.
    ["more than one cell", () => ["export-selftest", MATRIX], /\d+ violated cells match; name one with/],
  ];
  function write(name: string, text: string): string {
    const p = join(TMP, name);
    writeFileSync(p, text);
    return p;
  }
  for (const [name, args, want] of BAD)
    it(name, () => {
      const r = cli(args());
      expect(r.code).toBe(2);
      expect(r.err).toMatch(want);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
});
