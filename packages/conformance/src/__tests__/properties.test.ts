import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROPERTIES, propertyById, shortName } from "../properties/index.js";
import type { ConformanceProperty } from "../property.js";

const DIR = new URL("../properties/", import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .sort();

describe("conformance properties, one file each", () => {
  it("properties/ holds one file per property in PROPERTIES, and nothing else", () => {
    expect(FILES.map((f) => f.slice(0, -3))).toEqual(PROPERTIES.map((p) => p.id).sort());
  });

  for (const f of FILES) {
    it(`${f}: exports one record, listed in PROPERTIES, whose id is the file name`, async () => {
      const mod = (await import(new URL(f, DIR).href)) as Record<string, ConformanceProperty>;
      const records = Object.values(mod);
      expect(records).toHaveLength(1);
      const p = records[0] as ConformanceProperty;
      expect(p.id).toBe(f.slice(0, -3));
      expect(PROPERTIES).toContain(p);
      expect(propertyById(p.id)).toBe(p);
    });
  }

  it("every record has a non-empty title, short name, symptom and consequence", () => {
    for (const p of PROPERTIES) {
      for (const field of [p.title, p.short, p.symptom, p.consequence]) expect(field.trim(), p.id).not.toBe("");
    }
  });

  it("short names are unique and fit the fixed-width legend column (9)", () => {
    const shorts = PROPERTIES.map((p) => p.short);
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const p of PROPERTIES) expect(shortName(p.id).length, p.id).toBeLessThanOrEqual(9);
  });

  it("a property that applies to some cells only says where", () => {
    for (const p of PROPERTIES) expect(p.applies === undefined, p.id).toBe(p.appliesTo === undefined);
  });
});
