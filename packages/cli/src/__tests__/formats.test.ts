import "reflect-metadata";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromJsonForm, SCENARIOS } from "@switchlab/conformance";
import { assumptionsOf } from "@switchlab/model";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { progressReporter } from "../progress.js";
import { capture, ROW } from "./capture.js";

describe("report formats from the command line", () => {
  for (const [format, marker] of [
    ["email", "original / host-pebs-enable-fresh: violated in 1 cell"],
    ["markdown", "The per-scenario tables: `--details`"],
    ["junit", '<testsuites name="switchlab"'],
    ["html", '<table id="matrix">'],
    ["json", '"schema": "switchlab.matrix/3"'],
  ] as const) {
    it(`matrix --format ${format}`, async () => {
      const io = capture();
      expect(await main(["matrix", ...ROW, "--format", format, "--quiet"], io)).toBe(0);
      expect(io.o).toContain(marker);
    });
  }

  it("matrix --full gives e-mail its long form", async () => {
    const io = capture();
    expect(await main(["matrix", ...ROW, "--format", "email", "--full", "--quiet"], io)).toBe(0);
    expect(io.o).toContain("throttle-window (v5.11) on skylake-server-no-isolation:");
    expect(io.o).toContain("<atomic_switch_perf_msrs");
  });

  it("check takes the report formats too", async () => {
    const io = capture();
    expect(await main(["check", ...ROW, "--format", "email"], io)).toBe(0);
    expect(io.o).toContain("host-pebs-enable-fresh violated");
  });

  it("--out writes the whole file through a temporary file and rename, leaving nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchlab-out-"));
    const file = join(dir, "report.html");
    const io = capture();
    expect(await main(["matrix", ...ROW, "--format", "html", "--out", file, "--quiet"], io)).toBe(0);
    expect(io.o).toBe("");
    expect(readdirSync(dir)).toEqual(["report.html"]);
    expect(readFileSync(file, "utf8")).toMatch(/<\/html>\n$/);
  });

  it("an unknown format is a usage error listing the valid ones", async () => {
    const io = capture();
    expect(await main(["matrix", "--format", "pdf"], io)).toBe(2);
    expect(io.e).toContain("unknown format 'pdf'; valid: text, email, markdown, json, junit, tap, html");
  });
});

describe("diff", () => {
  it("shows where two policies disagree, side by side", async () => {
    const io = capture();
    expect(
      await main(
        [
          "diff",
          "original",
          "post-exit-reload",
          "--profile",
          "skylake-server-no-isolation",
          "--kernel",
          "own",
          "--scenario",
          "throttle-window",
        ],
        io,
      ),
    ).toBe(0);
    expect(io.o).toContain(
      "switchlab diff original post-exit-reload: 3 disagreement(s) over 1 (profile, scenario) rows",
    );
    expect(io.o).toContain("original (violated)");
    expect(io.o).toContain("| post-exit-reload (holds)");
    expect(io.o).toMatch(/vmx_vcpu_run:perf_reload_pebs_enable/);
  });

  it("as JSON, the violating run ends in the symptom and the other does not", async () => {
    const io = capture();
    await main(
      [
        "diff",
        "original",
        "post-exit-reload",
        "--profile",
        "skylake-server-no-isolation",
        "--scenario",
        "handoff-guest-counter",
        "--format",
        "json",
      ],
      io,
    );
    const d = JSON.parse(io.o);
    const pf = d.items.find((x: { property: string }) => x.property === "no-guest-pf-on-host-ds");
    expect(pf.violatedBy).toBe("original");
    expect(pf.runs[0].run.symptom).toContain("guest page fault");
    expect(pf.runs[1].run.symptom).not.toContain("guest page fault");
  });

  it("two identical policies do not disagree; a missing second id is a usage error", async () => {
    const io = capture();
    await main(
      ["diff", "original", "reread-after-nmi-in-place", "--profile", "icelake-server", "--scenario", "no-host-pebs"],
      io,
    );
    expect(io.o).toContain(": 0 disagreement(s)");
    expect(await main(["diff", "original"], capture())).toBe(2);
  });
});

describe("progress", () => {
  const cell = (scenario: string) => ({
    policy: "p",
    profile: "h",
    scenario,
    property: "x",
    verdict: "violated" as const,
    assumptions: assumptionsOf(SCENARIOS[0]!),
    states: 5,
    transitions: 5,
    complete: true,
  });

  it("prints one line per explored row off a terminal, none for a row answered without exploring", () => {
    const a = capture();
    const p = progressReporter(a);
    p(1, 3, [cell("cached")], 7, false);
    p(2, 3, [cell("s")], 5, true);
    p(3, 3, [cell("t")], 4);
    expect(a.e).toBe("[2/3] p h s: 5 states, 1 violated\n[3/3] p h t: 4 states, 1 violated\n");
  });

  it("draws a bar on a terminal, counting the states of explored rows only", () => {
    const b = capture();
    b.errIsTTY = () => true;
    const q = progressReporter(b);
    q(1, 2, [], 99, false);
    q(2, 2, [], 10, true);
    expect(b.e).toMatch(/\r\[#{30}\] 2\/2 rows \| 10 states \| [\d,]+ states\/s \n$/);
  });
});

describe("--profile-file", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchlab-profile-"));
  const cpu = {
    id: "my-broadwell",
    title: "Broadwell-X stepping 1, old microcode",
    family: 6,
    model: 0x4f,
    stepping: 1,
    microcode: 0x0b000010,
    pmuVersion: 3,
    numGp: 4,
    numFixed: 3,
    pebs: true,
    adaptivePebs: false,
    eptFriendlyPebs: false,
    loadPerfGlobalCtrl: true,
    listCapacity: 8,
    nmiReason: 0x3d,
    cpu: 5,
  };

  it("adds a CPU, with pebs_no_isolation derived, to the matrix", async () => {
    writeFileSync(join(dir, "ok.json"), JSON.stringify(cpu));
    const io = capture();
    expect(
      await main(
        [
          "matrix",
          "--profile-file",
          join(dir, "ok.json"),
          "--profile",
          "my-broadwell",
          "--policy",
          "original",
          "--scenario",
          "handoff-host-sampling",
          "--format",
          "json",
          "--quiet",
        ],
        io,
      ),
    ).toBe(0);
    const m = JSON.parse(io.o);
    expect(m.profiles[0]).toMatchObject({ id: "my-broadwell", pebsNoIsolation: true });
    const c = m.cells.find((x: { property: string }) => x.property === "no-unknown-nmi");
    expect(c.counterexample.symptom).toBe("Uhhuh. NMI received for unknown reason 3d on CPU 5.");
  });

  it("a CPU that contradicts a scenario (pebs: false beside a PEBS event) gives not-applicable rows with the reason, never a verdict", async () => {
    writeFileSync(join(dir, "no-pebs.json"), JSON.stringify({ ...cpu, id: "no-pebs", pebs: false }));
    const io = capture();
    const args = [
      "matrix",
      "--profile-file",
      join(dir, "no-pebs.json"),
      "--profile",
      "no-pebs",
      "--policy",
      "original",
    ];
    args.push("--scenario", "throttle-window,two-counters-one-nmi", "--kernel", "own", "--format", "json", "--quiet");
    expect(await main(args, io)).toBe(0);
    const cells = fromJsonForm(JSON.parse(io.o)).cells;
    const pebsRow = cells.filter((c) => c.scenario === "throttle-window");
    expect(pebsRow.length).toBeGreaterThan(0);
    for (const c of pebsRow) {
      expect(c.verdict).toBe("not-applicable");
      expect(c.message).toMatch(/opens a precise \(PEBS\) event, which perf refuses on a CPU without PEBS/);
    }
    // A scenario without a PEBS event still runs there.
    expect(cells.some((c) => c.scenario === "two-counters-one-nmi" && c.verdict === "violated")).toBe(true);
  });

  it("refuses a bad profile in one line naming the field, exit 2, nothing run", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...cpu, numGp: 0, extra: 1 }));
    const io = capture();
    expect(await main(["matrix", "--profile-file", join(dir, "bad.json")], io)).toBe(2);
    expect(io.e.trim().split("\n")).toHaveLength(1);
    expect(io.e).toMatch(
      /--profile-file .*bad\.json "my-broadwell": (unknown field "extra"|field "numGp" is too small)/,
    );
    expect(io.o).toBe("");
  });
});
