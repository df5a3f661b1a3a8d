import "reflect-metadata";
import { PROPERTIES, runCell, SCENARIOS, worldModel } from "@switchlab/conformance";
import { BREADTH_FIRST, DEFAULT_BOUNDS, explore } from "@switchlab/explorer";
import { builtinProfiles } from "@switchlab/hardware";
import { buildCell, createRootContainer } from "@switchlab/model";
import { describe, expect, it } from "vitest";
import original from "../index.js";

const skylake = builtinProfiles().find((p) => p.id === "skylake-server-no-isolation")!;
const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!;

describe("original on skylake-server-no-isolation finds the 2021 race by itself", () => {
  for (const [sc, prop, symptom] of [
    ["handoff-guest-counter", "no-guest-pf-on-host-ds", "guest page fault at 0xfffffe000000c000 + 0x38"],
    ["handoff-host-sampling", "no-unknown-nmi", "Uhhuh. NMI received for unknown reason 00 on CPU 0."],
    ["throttle-window", "stale-bit-bounded", "PEBS_ENABLE 0x1 has bit(s) 0x1 that cpuc->pebs_enabled 0x0 does not"],
  ] as const) {
    it(`${prop} in ${sc}: violated, with a shortest counterexample, complete`, () => {
      const r = runCell(createRootContainer(), original, skylake, scenario(sc), DEFAULT_BOUNDS);
      const c = r.cells.find((x) => x.property === prop)!;
      expect(c.verdict).toBe("violated");
      expect(c.complete).toBe(true);
      expect(c.counterexample?.symptom).toContain(symptom);
      // Shortest: no path one choice shorter shows it.
      const cell = buildCell(createRootContainer(), original, skylake, scenario(sc));
      const p = PROPERTIES.find((x) => x.id === prop)!.toExplorer(cell);
      const shorter = explore(
        worldModel(cell),
        [p],
        { ...DEFAULT_BOUNDS, maxDepth: c.counterexample!.actions.length - 1 },
        BREADTH_FIRST,
      );
      expect(shorter.properties[0]?.verdict).toBe("holds");
    });
  }
});
