import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { parseReplayFile, ReplayFileError } from "../replay-file.js";
import { ReplayDivergence, renderTrace, replay } from "../trace.js";
import { cell } from "./helpers.js";

describe("replay files", () => {
  const ok = { schema: "switchlab.replay/1", policy: "p", profile: "h", scenario: "s", choices: ["a"] };

  it("parses a valid file", () => {
    expect(parseReplayFile(JSON.stringify(ok), "f.json").choices).toEqual(["a"]);
  });

  it("names the JSON path of the problem", () => {
    expect(() => parseReplayFile(JSON.stringify({ ...ok, choices: ["a", 3] }), "f.json")).toThrow(
      /^f\.json: at \$\.choices\[1\]: /,
    );
    expect(() => parseReplayFile(JSON.stringify({ ...ok, schema: "x" }), "f.json")).toThrow(/at \$\.schema/);
    expect(() => parseReplayFile("{", "f.json")).toThrow(ReplayFileError);
    expect(() => parseReplayFile(JSON.stringify({ ...ok, expect: { symptoms: ["nope"] } }), "f.json")).toThrow(
      /\$\.expect\.symptoms\[0\]/,
    );
  });
});

describe("replay", () => {
  it("stops at a choice that is not enabled, naming the step and the enabled choices", () => {
    const c = cell();
    try {
      replay(c, [
        "vcpu_enter_guest:local_irq_disable",
        "vmx_vcpu_run:reenter_guest",
        "nmi@atomic_switch_perf_msrs:perf_guest_get_msrs",
      ]);
      throw new Error("no divergence");
    } catch (e) {
      expect(e).toBeInstanceOf(ReplayDivergence);
      expect((e as Error).message).toBe(
        "choice 3 'nmi@atomic_switch_perf_msrs:perf_guest_get_msrs' is not enabled at step atomic_switch_perf_msrs:perf_guest_get_msrs; enabled choices: atomic_switch_perf_msrs:perf_guest_get_msrs, overflow0@atomic_switch_perf_msrs:perf_guest_get_msrs",
      );
    }
  });

  it("renders step, CPU mode, choice, kernel function and what changed", () => {
    const t = replay(cell(), [
      "vcpu_enter_guest:local_irq_disable",
      "vmx_vcpu_run:reenter_guest",
      "atomic_switch_perf_msrs:perf_guest_get_msrs",
    ]);
    const text = renderTrace(t).join("\n");
    expect(text).toContain(
      "   3  root      atomic_switch_perf_msrs:perf_guest_get_msrs  <atomic_switch_perf_msrs [arch/x86/kvm/vmx/vmx.c v5.11]>",
    );
    expect(text).toContain("| perf_guest_get_msrs: GLOBAL_CTRL host 0x70f guest 0x70e; PEBS_ENABLE host 0x1 guest 0x0");
    expect(text).toContain("symptoms: none");
  });
});
