/// <reference lib="dom" />
// The page functions below run in Chromium (page.evaluate): they see the DOM.
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { diffPolicies, SCENARIOS } from "@switchlab/conformance";
import { DEFAULT_BOUNDS } from "@switchlab/explorer";
import { builtinProfiles, MSR_IA32_PEBS_ENABLE, wrmsr } from "@switchlab/hardware";
import { RUN_LOOP, STEP } from "@switchlab/kvm";
import { definePolicy } from "@switchlab/policy-api";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderDiffHtml } from "../diff.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium-setup.js";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

describe.skipIf(!CHROMIUM)("the diff page in headless Chromium", () => {
  it("draws the two runs of each disagreement as aligned timelines", async () => {
    const meta = { title: "t", summary: "s", upstream: { cite: "c", url: "https://kernel.org" } };
    const upstream = definePolicy({ id: "upstream", ...meta, touches: [] });
    const reload = definePolicy({
      id: "reload",
      ...meta,
      touches: ["vmx_vcpu_run"],
      patch: (ed: { insertAfter: (a: string, b: string, s: object) => void }) =>
        ed.insertAfter(RUN_LOOP, STEP.guest, {
          id: "test:reload",
          fn: "vmx_vcpu_run",
          file: "t",
          version: "v5.11",
          run: (w: { hw: never; perf: { pebsEnabled: number } }, env: { obs: never }) => {
            wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled, env.obs);
            return undefined;
          },
        }),
    } as never);
    const d = diffPolicies(
      upstream as never,
      reload as never,
      builtinProfiles().slice(0, 1),
      SCENARIOS.slice(0, 1),
      DEFAULT_BOUNDS,
    );
    expect(d.items.length).toBeGreaterThan(0);
    const file = join(ARTIFACTS, "diff.html");
    writeFileSync(file, renderDiffHtml(d));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (window as unknown as { switchlabReady?: boolean }).switchlabReady === true);
      expect(await page.locator(".diff-item").count()).toBe(d.items.length);
      expect(await page.locator(".timeline").count()).toBe(2 * d.items.length);
      // The side that holds has no failing step and no red symptom; the side that fails has both.
      const holding = page.locator(".timeline", { has: page.locator("h3", { hasText: ": holds" }) });
      const failing = page.locator(".timeline", { has: page.locator("h3", { hasText: ": violated" }) });
      expect(await holding.count()).toBe(d.items.length);
      expect(await holding.locator(".marker.went-wrong").count()).toBe(0);
      expect(await holding.locator(".tl-symptom.none").count()).toBe(d.items.length);
      expect(await holding.locator(".tl-symptom").first().textContent()).toBe("Symptom: none");
      expect(await failing.locator(".marker.went-wrong").count()).toBe(d.items.length);
      expect(await failing.locator(".tl-symptom:not(.none)").count()).toBe(d.items.length);
      // Both runs of an item open at the first step where they differ: the same step, in view.
      const first = await page
        .locator(".diff-item")
        .first()
        .locator(".timeline")
        .evaluateAll((boxes) =>
          boxes.map((b) => {
            const at = (b as HTMLElement).dataset.firstDifference;
            const scroll = b.querySelector(".tl-scroll") as HTMLElement;
            const col = b.querySelector(`.tl-cell[data-step="${at}"]`) as HTMLElement;
            const label = b.querySelector(".tl-label") as HTMLElement;
            const x = col.offsetLeft - scroll.scrollLeft;
            return { at, inView: x >= label.offsetWidth && x + col.offsetWidth <= scroll.clientWidth };
          }),
        );
      expect(first).toHaveLength(2);
      expect(first[0]?.at).toBeDefined();
      expect(first[1]?.at).toBe(first[0]?.at);
      expect(first.every((f) => f.inView)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, "diff.png") });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
