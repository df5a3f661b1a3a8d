import "reflect-metadata";
import { DEFAULT_COST_TABLE } from "@switchlab/conformance";
import { builtinProfiles } from "@switchlab/hardware";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

describe("--kernel: the kernel version as an axis", () => {
  it("matrix --kernel v7.3 runs every scenario at v7.3, rows named <scenario>@v7.3 and the kernel printed with the assumptions", async () => {
    const io = capture();
    const args = [
      "matrix",
      "--policy",
      "original",
      "--profile",
      "emerald-rapids",
      "--kernel",
      "v7.3",
      "--quiet",
      "--details",
    ];
    expect(await main([...args, "--scenario", "throttle-window,lists-full,mediated-fastpath"], io)).toBe(0);
    expect(io.o).toContain("scenario throttle-window@v7.3 (v7.3)");
    expect(io.o).toContain("scenario lists-full@v7.3 (v7.3)");
    expect(io.o).toContain("scenario mediated-fastpath (v7.3)");
    expect(io.o).toContain("assumptions: kernel v7.3,");
    expect(io.o).not.toMatch(/^scenario throttle-window \(v5\.11\)/m);
  });

  it("an older kernel than a scenario needs gives not-applicable rows with the reason, not a pass", async () => {
    const io = capture();
    const args = ["matrix", "--policy", "original", "--profile", "emerald-rapids", "--kernel", "v6.16"];
    expect(await main([...args, "--scenario", "mediated-fastpath", "--format", "json", "--quiet"], io)).toBe(0);
    const m = JSON.parse(io.o);
    const cells = m.cells ?? [];
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c: { verdict: string }) => c.verdict === "not-applicable")).toBe(true);
    expect(JSON.stringify(m)).toContain("the mediated vPMU was merged in 7.0");
  });

  it("an unknown version is one line naming the versions, exit 2", async () => {
    const io = capture();
    expect(await main(["matrix", "--kernel", "v6.1"], io)).toBe(2);
    expect(io.e.trim().split("\n")).toHaveLength(1);
    expect(io.e).toContain("unknown kernel version 'v6.1'; modelled versions: v5.11, v6.1.y, v6.16, v7.3, or own");
  });

  it("--masked-pmi takes hold or drop, is printed with the assumptions, and anything else is one line, exit 2", async () => {
    const io = capture();
    const row = ["matrix", "--policy", "original", "--profile", "emerald-rapids", "--scenario", "mediated-fastpath"];
    expect(await main([...row, "--masked-pmi", "drop", "--quiet"], io)).toBe(0);
    expect(io.o).toContain("masked PMI drop");
    const bad = capture();
    expect(await main([...row, "--masked-pmi", "maybe"], bad)).toBe(2);
    expect(bad.e.trim()).toBe("switchlab: --masked-pmi must be hold or drop, got 'maybe'");
  });

  it("check names one row: the plain id is the scenario's own version, @v7.3 the other", async () => {
    const io = capture();
    const row = ["check", "--policy", "original", "--profile", "emerald-rapids", "--property", "vm-not-killed"];
    expect(await main([...row, "--scenario", "lists-full@v7.3"], io)).toBe(0);
    expect(io.o).toMatch(/^ {2}vm-not-killed +holds$/m);
  });

  it("list shows the versions and the mediated switch path", async () => {
    const io = capture();
    expect(await main(["list"], io)).toBe(0);
    expect(io.o).toMatch(/^ {2}v7\.3 /m);
    expect(io.o).toMatch(/^ {2}mediated /m);
    expect(io.o).toMatch(/^ {2}mediated-host-sampling +\[v7\.3, mediated\]/m);
    expect(io.o).toMatch(/^ {2}throttle-window@v7\.3 /m);
  });

  it("list names the stored tree or commit every version follows, and the 7.4 queue policy's commit", async () => {
    const io = capture();
    expect(await main(["list"], io)).toBe(0);
    const after = (id: string) => {
      const lines = io.o.split("\n");
      const i = lines.findIndex((l) => l.startsWith(`  ${id} `));
      return i < 0 ? "" : (lines[i + 1] ?? "");
    };
    for (const k of ["v5.11", "v6.1.y", "v6.16", "v7.3"]) expect(after(k)).toMatch(/^ +follows \S/);
    expect(after("v6.1.y")).toContain("linux-source-6.1 at 6.1.192-3");
    expect(after("v6.16")).toContain("210b82c35000b63a0fa95d42feccddea97681b97");
    expect(after("v7.3")).toContain("22ff4b9b72218b972eff2b05bc964218f85218ac");
    expect(after("v74-queued-cleanups")).toContain("follows commit bd160d6e91f12421520fcd3dbb5bbf8c98817d41");
  });

  it("--kernel v6.1.y runs a scenario at 6.1.y, and the mediated ones are not applicable there", async () => {
    const io = capture();
    const args = ["matrix", "--policy", "original", "--profile", "emerald-rapids", "--kernel", "v6.1.y"];
    expect(await main([...args, "--scenario", "guest-pebs,mediated-fastpath", "--format", "json", "--quiet"], io)).toBe(
      0,
    );
    const cells: { scenario: string; verdict: string }[] = JSON.parse(io.o).cells ?? [];
    expect(cells.some((c) => c.scenario === "guest-pebs@v6.1.y" && c.verdict === "holds")).toBe(true);
    const med = cells.filter((c) => c.scenario.startsWith("mediated-fastpath"));
    expect(med.length).toBeGreaterThan(0);
    expect(med.every((c) => c.verdict === "not-applicable")).toBe(true);
  });

  it("costs: the mediated vPMU's switch next to the MSR-list path on Emerald Rapids", async () => {
    const io = capture();
    const args = ["costs", "--profile", "emerald-rapids", "--kernel", "v7.3", "--exit", "slow"];
    expect(await main([...args, "--scenario", "host-pebs-v616,mediated-host-sampling"], io)).toBe(0);
    const line = (s: string) => io.o.split("\n").find((l) => l.includes(` ${s} `)) ?? "";
    // v7.3 with isolation: only GLOBAL_CTRL, through the two VMCS fields, priced by the cost table.
    const c = DEFAULT_COST_TABLE.cycles;
    expect(line("host-pebs-v616@v7.3")).toMatch(
      new RegExp(`slow +${c.baseRoundTrip + 2 * c.fieldLoad} +2 +0 +0 +0 +2 +GLOBAL_CTRL 2$`),
    );
    // The mediated vPMU's whole switch: LVTPC written at load and put, every GP selector loaded
    // with the guest's (kvm_pmu_load_guest_pmcs), and more writes than the MSR-list round trip.
    const med = line("mediated-host-sampling");
    expect(med).toMatch(/APIC_LVTPC \d/);
    const numGp = builtinProfiles().find((p) => p.id === "emerald-rapids")!.numGp;
    for (let k = 0; k < numGp; k++) expect(med).toMatch(new RegExp(`EVTSEL${k} \\d`));
    const writes = (l: string) => Number(l.split(/ +/)[5]);
    expect(writes(med)).toBeGreaterThan(writes(line("host-pebs-v616@v7.3")));
  });
});
