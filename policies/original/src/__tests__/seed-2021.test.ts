import "reflect-metadata";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SCENARIOS } from "@switchlab/conformance";
import { builtinProfiles } from "@switchlab/hardware";
import { buildCell, createRootContainer, parseReplayFile, projectChoices, replay } from "@switchlab/model";
import { describe, expect, it } from "vitest";
import original from "../index.js";

const dir = fileURLToPath(new URL("../../../../examples/seed-2021/", import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();
const seeds = files.map((f) => ({ f, r: parseReplayFile(readFileSync(join(dir, f), "utf8"), f) }));

function cellFor(profileId: string, scenarioId: string) {
  const profile = builtinProfiles().find((p) => p.id === profileId)!;
  const scenario = SCENARIOS.find((s) => s.id === scenarioId)!;
  return buildCell(createRootContainer(), original, profile, scenario);
}

/** The symptom line each seed must end with, as `switchlab replay` prints it. */
const SYMPTOM_LINE: Record<string, string> = {
  "1-stale-exit-load.json":
    "stale-pebs-enable: PEBS_ENABLE 0x1 has bit(s) 0x1 that cpuc->pebs_enabled 0x0 does not (for 1 round trip(s))",
  "2-persistence.json":
    "stale-pebs-enable: PEBS_ENABLE 0x1 has bit(s) 0x1 that cpuc->pebs_enabled 0x0 does not (for 4 round trip(s))",
  "3-guest-pf-at-ds-0x38.json":
    "guest-pf-on-host-ds: guest page fault at 0xfffffe000000c000 + 0x38 (pebs_interrupt_threshold of the host DS_AREA)",
  "4-unknown-nmi.json": "unknown-nmi: Uhhuh. NMI received for unknown reason 00 on CPU 0.",
};

describe("examples/seed-2021 under original on skylake-server-no-isolation", () => {
  it("holds the four replays of the 2021 report", () => {
    expect(files).toEqual(Object.keys(SYMPTOM_LINE));
  });

  for (const { f, r } of seeds) {
    it(`${f}: ${r.title?.split(":")[0]}`, () => {
      expect([r.policy, r.profile]).toEqual(["original", "skylake-server-no-isolation"]);
      const t = replay(cellFor(r.profile, r.scenario), r.choices);
      expect(t.symptoms.map((s) => s.id).sort()).toEqual([...(r.expect?.symptoms ?? [])].sort());
      expect(t.symptoms.map((s) => `${s.id}: ${s.text}`)).toContain(SYMPTOM_LINE[f]);
    });
  }

  it("1: after the exit, PEBS_ENABLE differs from cpuc->pebs_enabled", () => {
    const r = seeds[0]!.r;
    const t = replay(cellFor(r.profile, r.scenario), r.choices);
    expect(t.final.hw.mode).toBe(0);
    expect([t.final.hw.pebsEnable, t.final.perf.pebsEnabled]).toEqual([1, 0]);
  });

  it("2: PEBS_ENABLE is off both lists while the stale bit lives three more round trips, into the guest", () => {
    const r = seeds[1]!.r;
    const t = replay(cellFor(r.profile, r.scenario), r.choices);
    expect(t.final.hw.entryList.length).toBe(0);
    expect(t.final.hw.exitList.length).toBe(0);
    expect(t.staleTrips).toBeGreaterThanOrEqual(4);
    const inGuest = t.steps.filter((s) => s.mode === "non-root");
    expect(inGuest.length).toBeGreaterThanOrEqual(3);
  });

  it("4: the kernel log carries the unknown-NMI lines", () => {
    const r = seeds[3]!.r;
    const t = replay(cellFor(r.profile, r.scenario), r.choices);
    expect(t.printk).toEqual([
      "Uhhuh. NMI received for unknown reason 00 on CPU 0.",
      "Do you have a strange power saving mode enabled?",
      "Dazed and confused, but trying to continue",
    ]);
  });
});

describe("the same perf and NMI events on icelake-server (v5.11 emits no PEBS_ENABLE entry)", () => {
  for (const { f, r } of seeds) {
    it(`${f}: no symptom`, () => {
      const cell = cellFor("icelake-server", r.scenario);
      const p = projectChoices(cell, r.choices);
      const t = replay(cell, p.choices);
      expect(t.symptoms).toEqual([]);
      const events = (xs: readonly string[]) =>
        xs.filter((x) => x.startsWith("overflow") || x.startsWith("sched") || x.startsWith("vmexit"));
      expect(events(p.choices).map((x) => x.split("@")[0])).toEqual(events(r.choices).map((x) => x.split("@")[0]));
      // Only an NMI that nobody raised on this CPU may be missing: the second PMI needs the stale bit.
      expect(p.skipped.every((x) => x.startsWith("nmi@"))).toBe(true);
    });
  }
});
