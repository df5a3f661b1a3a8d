import "reflect-metadata";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

const seeds = fileURLToPath(new URL("../../../../examples/seed-2021/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "switchlab-replay-"));

function write(name: string, data: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, typeof data === "string" ? data : JSON.stringify(data));
  return p;
}

describe("switchlab replay", () => {
  it("prints the trace and the symptom of a seed, exit 0", async () => {
    const io = capture();
    expect(await main(["replay", join(seeds, "3-guest-pf-at-ds-0x38.json")], io)).toBe(0);
    expect(io.o).toContain("guest-pf-on-host-ds: guest page fault at 0xfffffe000000c000 + 0x38");
    expect(io.o).toMatch(/^ {3}1 {2}root {6}vcpu_enter_guest:local_irq_disable/m);
  });

  it("exit 1 for a divergent replay, naming the step and the enabled choices", async () => {
    const r = JSON.parse(readFileSync(join(seeds, "1-stale-exit-load.json"), "utf8"));
    r.choices.splice(3, 0, "nmi@atomic_switch_perf_msrs:for-each-msr(GLOBAL_CTRL)");
    const io = capture();
    expect(await main(["replay", write("div.json", r)], io)).toBe(1);
    expect(io.e).toContain(
      "replay diverged: choice 4 'nmi@atomic_switch_perf_msrs:for-each-msr(GLOBAL_CTRL)' is not enabled at step atomic_switch_perf_msrs:for-each-msr(GLOBAL_CTRL); enabled choices: ",
    );
    expect(io.e.trim().split("\n")).toHaveLength(1);
  });

  it("exit 1 when the run does not end with the symptoms the file expects", async () => {
    const r = JSON.parse(readFileSync(join(seeds, "1-stale-exit-load.json"), "utf8"));
    r.expect = { symptoms: ["unknown-nmi"] };
    const io = capture();
    expect(await main(["replay", write("exp.json", r)], io)).toBe(1);
    expect(io.e).toContain("expected symptoms [unknown-nmi], got [stale-pebs-enable]");
  });

  it("exit 2 with the JSON path for a malformed file, and for unknown ids", async () => {
    const io = capture();
    expect(
      await main(
        [
          "replay",
          write("bad.json", {
            schema: "switchlab.replay/1",
            policy: "original",
            profile: "x",
            scenario: "y",
            choices: [1],
          }),
        ],
        io,
      ),
    ).toBe(2);
    expect(io.e).toContain("at $.choices[0]:");
    const io2 = capture();
    const good = JSON.parse(readFileSync(join(seeds, "1-stale-exit-load.json"), "utf8"));
    expect(await main(["replay", write("unk.json", { ...good, profile: "pentium" })], io2)).toBe(2);
    expect(io2.e).toContain("unknown profile 'pentium'; valid profiles: skylake-server-no-isolation,");
    const io3 = capture();
    expect(await main(["replay"], io3)).toBe(2);
    expect(await main(["replay", join(tmp, "missing.json")], io3)).toBe(2);
  });
});
