import { describe, expect, it } from "vitest";
import { derivePebsNoIsolation, hasMinMicrocodeRev } from "../pebs-isolation.js";
import { ProfileError, parseHardwareProfile } from "../profile.js";
import { BUILTIN_PROFILE_DATA, builtinProfiles } from "../profiles/index.js";
import { skylakeServerNoIsolation } from "../profiles/skylake-server-no-isolation.js";

const base = skylakeServerNoIsolation;

function refused(input: unknown): string {
  try {
    parseHardwareProfile(input, "test profile");
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    const msg = (e as Error).message;
    expect(msg.split("\n")).toHaveLength(1);
    return msg;
  }
  throw new Error("profile was accepted");
}

describe("built-in profiles", () => {
  it("has the four profiles of the issue and the two Sapphire Rapids ones (with and without the GLOBAL_CTRL save control), each valid", () => {
    expect(builtinProfiles().map((p) => p.id)).toEqual([
      "skylake-server-no-isolation",
      "skylake-server-isolation-ucode",
      "icelake-server",
      "sapphire-rapids",
      "sapphire-rapids-no-save",
      "emerald-rapids",
    ]);
    const save = Object.fromEntries(builtinProfiles().map((p) => [p.id, p.savePerfGlobalCtrl]));
    expect(save).toMatchObject({
      "icelake-server": false,
      "sapphire-rapids": true,
      "sapphire-rapids-no-save": false,
      "emerald-rapids": true,
    });
  });

  it("derives pebs_no_isolation as intel_check_pebs_isolation does", () => {
    const byId = Object.fromEntries(builtinProfiles().map((p) => [p.id, p.pebsNoIsolation]));
    expect(byId).toEqual({
      "skylake-server-no-isolation": true,
      "skylake-server-isolation-ucode": false,
      "icelake-server": false,
      "sapphire-rapids": false,
      "sapphire-rapids-no-save": false,
      "emerald-rapids": false,
    });
  });

  it("no profile data writes pebsNoIsolation by hand", () => {
    for (const p of BUILTIN_PROFILE_DATA) expect(Object.keys(p)).not.toContain("pebsNoIsolation");
  });
});

describe("isolation_ucodes", () => {
  it("requires the listed minimum microcode for a listed stepping", () => {
    expect(hasMinMicrocodeRev({ model: 0x55, stepping: 3, microcode: 0x20 })).toBe(false);
    expect(hasMinMicrocodeRev({ model: 0x55, stepping: 3, microcode: 0x21 })).toBe(true);
    expect(derivePebsNoIsolation({ family: 6, model: 0x3c, stepping: 3, microcode: 0x1e, pmuVersion: 3 })).toBe(true);
    expect(derivePebsNoIsolation({ family: 6, model: 0x3c, stepping: 3, microcode: 0x1f, pmuVersion: 3 })).toBe(false);
  });

  it("treats a stepping missing from the table as no isolation (v5.11: Cascade Lake)", () => {
    expect(derivePebsNoIsolation({ family: 6, model: 0x55, stepping: 7, microcode: 0xffffffff, pmuVersion: 4 })).toBe(
      true,
    );
  });

  it("defaults by PMU version for CPUs without the quirk (intel_ds_init)", () => {
    expect(derivePebsNoIsolation({ family: 6, model: 0x6a, stepping: 6, microcode: 0, pmuVersion: 5 })).toBe(false);
    expect(derivePebsNoIsolation({ family: 6, model: 0x2a, stepping: 7, microcode: 0x2f, pmuVersion: 3 })).toBe(true);
  });
});

describe("bad profiles", () => {
  it("refuses an unknown field, naming it and the allowed fields", () => {
    const m = refused({ ...base, pebsNoIsolation: true });
    expect(m).toContain('unknown field "pebsNoIsolation"');
    expect(m).toContain("allowed fields: id, title, family");
  });

  it("refuses a missing field by name", () => {
    const { numGp: _, ...rest } = base;
    expect(refused(rest)).toContain('field "numGp" is missing');
  });

  it("refuses negative and impossible counter counts with the allowed range", () => {
    expect(refused({ ...base, numGp: -1 })).toContain('field "numGp" is too small; allowed: at least 1');
    expect(refused({ ...base, numGp: 9 })).toContain('field "numGp" is too large; allowed: at most 8');
    expect(refused({ ...base, numFixed: 2.5 })).toContain('field "numFixed"');
  });

  it("refuses a list capacity that is not a positive number", () => {
    expect(refused({ ...base, listCapacity: 0 })).toContain('field "listCapacity" is too small');
    expect(refused({ ...base, listCapacity: "8" })).toContain(
      'field "listCapacity" has the wrong type; expected number',
    );
  });

  it("names the profile and says what to do", () => {
    expect(refused({ ...base, family: 15 })).toMatch(
      /^test profile "skylake-server-no-isolation": field "family" .*Fix the profile and run again\.$/,
    );
  });
});
