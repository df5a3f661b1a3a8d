import {
  assumptionFlags,
  ceilingOf,
  DIMENSIONS,
  dimensionsOf,
  findScenarioRow,
  requirementOf,
} from "@switchlab/conformance";
import {
  type Action,
  ASSUMPTIONS,
  type AssumptionSpec,
  assumptionsJsonSchema,
  assumptionsZod,
  assumptionValues,
  createWorld,
} from "@switchlab/model";
import { assumptionLine, assumptionShort } from "@switchlab/report";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../io.js";
import { applyAssumptions, assumptionOptions, assumptionsFrom } from "../options.js";

/**
 * A new assumption is one record plus its rule: a toy one, kept in a field scenarios already
 * have (the stale bound), with a made-up rule (a tick only in the first N round trips), shows up
 * everywhere the built-in ones do, without touching the built-in (frozen) list.
 */
const TOY: AssumptionSpec<"staleBound", number> = {
  id: "staleBound",
  title: "stale bound",
  unit: "",
  flag: "--stale-bound",
  env: "SWITCHLAB_STALE_BOUND",
  help: "round trips a stale bit may last",
  short: "stale",
  shape: { kind: "count", min: 1, max: 7 },
  read: (sc) => sc.staleBound,
  write: (sc, v) => ({ ...sc, staleBound: v }),
  label: (v) => `stale bound ${v}`,
  frontier: { floor: 1, ceiling: 4, monotone: true, why: "a toy: a longer bound allows more" },
  need: (w, a) => (a.kind === "tick" ? w.kvm.roundTrips + 1 : 0),
};
const LIST = [...ASSUMPTIONS, TOY];
const scenario = findScenarioRow("throttle-window")!;

afterEach(() => vi.unstubAllEnvs());

describe("a toy assumption, declared as one record", () => {
  it("is an option of the CLI, with its syntax, help and variable", () => {
    const c = assumptionOptions(new Command("matrix"), LIST);
    expect(c.helpInformation()).toContain("--stale-bound <n>");
    const o = c.options.find((x) => x.long === "--stale-bound");
    expect(o?.flags).toBe("--stale-bound <n>");
    expect(o?.description).toBe("round trips a stale bit may last (or SWITCHLAB_STALE_BOUND)");
    expect(assumptionOptions(new Command("matrix")).helpInformation()).not.toContain("--stale-bound");
  });

  it("is parsed from its option or its variable, and a bad value is a usage error naming the flag", () => {
    expect(assumptionsFrom({ staleBound: "3" }, LIST)).toEqual({ staleBound: 3 });
    vi.stubEnv("SWITCHLAB_STALE_BOUND", "2");
    expect(assumptionsFrom({}, LIST)).toEqual({ staleBound: 2 });
    expect(() => assumptionsFrom({ staleBound: "x" }, LIST)).toThrow(
      new UsageError("--stale-bound must be a non-negative integer, got 'x'"),
    );
    expect(() => applyAssumptions([scenario], { staleBound: 9 }, LIST)).toThrow(
      new UsageError("--stale-bound must be at most 7 (the state's field for it), got 9"),
    );
    expect(() => applyAssumptions([scenario], { staleBound: 0 }, LIST)).toThrow(
      new UsageError("--stale-bound must be at least 1"),
    );
    const [sc] = applyAssumptions([scenario], assumptionsFrom({ staleBound: "3" }, LIST), LIST);
    expect(sc?.staleBound).toBe(3);
    expect(assumptionFlags(sc!, LIST)).toEqual(["--stale-bound", "3"]);
  });

  it("is a dimension of the frontier, with its ceiling capped by its range and its rule as the requirement", () => {
    const d = dimensionsOf(LIST).find((x) => x.id === "staleBound");
    expect(d).toEqual({
      id: "staleBound",
      option: "--stale-bound",
      title: "stale bound",
      unit: "",
      floor: 1,
      ceiling: 4,
      monotone: true,
      why: "a toy: a longer bound allows more",
    });
    expect(ceilingOf(d!, 100, LIST)).toBe(7);
    const w = createWorld();
    w.kvm.roundTrips = 2;
    const tick: Action = { kind: "tick", arg: 0 };
    expect(requirementOf("staleBound", 4, LIST)?.(w, tick)).toBe(3);
    expect(DIMENSIONS.map((x): string => x.id)).not.toContain("staleBound");
  });

  it("is labelled in reports, and has its place in the replay file and the JSON Schema", () => {
    const values = assumptionValues({ ...scenario, staleBound: 3 }, LIST);
    expect(assumptionLine(values, LIST)).toMatch(/, ticks \d+, stale bound 3$/);
    expect(assumptionShort("staleBound", LIST)).toBe("stale");
    expect(assumptionsZod(LIST).safeParse({ staleBound: 3 }).success).toBe(true);
    expect(assumptionsZod().safeParse({ staleBound: 3 }).success).toBe(false);
    expect((assumptionsJsonSchema(LIST).properties as Record<string, unknown>).staleBound).toEqual({
      type: "integer",
      minimum: 1,
    });
  });

  it("leaves the built-in list as it was: frozen, ten assumptions", () => {
    expect(Object.isFrozen(ASSUMPTIONS)).toBe(true);
    expect(Object.isFrozen(ASSUMPTIONS[0])).toBe(true);
    expect(ASSUMPTIONS.map((a) => a.id)).toEqual([
      "pmiLatency",
      "pebsQuiescent",
      "maskedPmi",
      "overflows",
      "overflowsPerEvent",
      "nmis",
      "otherNmis",
      "roundTrips",
      "ticks",
      "guestWrites",
    ]);
  });
});
