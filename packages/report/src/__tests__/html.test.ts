/// <reference lib="dom" />
// The page functions below run in Chromium (page.evaluate): they see the DOM.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderAnswer } from "../answer.js";
import { renderHtml } from "../html/page.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium-setup.js";
import { smallMatrix } from "./fixture.js";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

describe.skipIf(!CHROMIUM)("the HTML report in headless Chromium", () => {
  it("opens without console errors, shows every cell, and a click on a violated cell shows its timeline", async () => {
    const m = smallMatrix();
    const html = renderHtml(m);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "report.html");
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(msg.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      const requests: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith("file:")) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (window as unknown as { switchlabReady?: boolean }).switchlabReady === true);
      // The page opens with the answer, as the terminal does.
      expect(await page.locator("header > #answer pre").textContent()).toBe(renderAnswer(m));
      expect(await page.locator("#answer").evaluate((e) => e.getBoundingClientRect().top)).toBeLessThan(300);
      expect(await page.locator("#matrix td.cell").count()).toBe(m.cells.length);
      const violated = m.cells.filter((c) => c.verdict === "violated");
      expect(await page.locator("#matrix td.violated").count()).toBe(violated.length);

      const target = violated.find((c) => c.property === "no-guest-pf-on-host-ds")!;
      const td = page.locator(`#matrix td.violated[data-cell="${m.cells.indexOf(target)}"]`);
      // Its title is its symptom, and the panel's reproduce line is the cell's own (both rebuilt from the page's data).
      expect(await td.getAttribute("title")).toBe(target.counterexample!.symptom);
      await td.click();
      await page.locator("#timeline-panel .timeline").waitFor();
      expect(await page.locator("#timeline-panel .tl-repro code").textContent()).toBe(target.counterexample!.reproduce);
      const steps = target.counterexample!.timeline.length;
      expect(await page.locator("#timeline-panel .marker").count()).toBe(steps);
      expect(await page.locator("#timeline-panel .marker.went-wrong").count()).toBe(1);
      expect(await page.locator("#timeline-panel .tl-symptom").textContent()).toContain(
        "guest page fault at 0xfffffe000000c000 + 0x38",
      );
      // Every lane is drawn, and the kernel function of the last step is linked.
      for (const lane of [
        "KVM run loop",
        "host, IRQs on",
        "NMI handler",
        "hardware",
        "guest",
        "PEBS_ENABLE",
        "GLOBAL_CTRL",
        "VM-exit list",
      ]) {
        expect(await page.locator(".tl-label", { hasText: lane }).count()).toBeGreaterThan(0);
      }
      await page.locator("#timeline-panel .marker").nth(2).click();
      expect(await page.locator(".tl-detail a.kernel-link").getAttribute("href")).toMatch(
        /^https:\/\/elixir\.bootlin\.com\/linux\/v5\.11\/A\/ident\//,
      );

      // Filters hide rows.
      await page.selectOption("#filter-profile", "icelake-server");
      const visible = await page.locator("#matrix tbody tr:not([hidden])").count();
      expect(visible).toBe(2);

      await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("at 1400 px shows the failing step, MSR-load lists as MSR = value, and colours only what is wrong", async () => {
    const m = smallMatrix();
    const file = join(ARTIFACTS, "report-timeline.html");
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(file, renderHtml(m));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (window as unknown as { switchlabReady?: boolean }).switchlabReady === true);
      const target = m.cells.find((c) => c.verdict === "violated" && c.property === "no-guest-pf-on-host-ds")!;
      const steps = target.counterexample!.timeline;
      await page.locator(`#matrix td.violated[data-cell="${m.cells.indexOf(target)}"]`).click();
      await page.locator("#timeline-panel .timeline").waitFor();

      // It opens at the cause (the first step after which a value is wrong), in view: inside the
      // scrolled lanes, right of the sticky labels, inside the window; the failing step is in
      // view too whenever the two fit side by side.
      const cause = await page.locator("#timeline-panel .marker.cause").boundingBox();
      const marker = await page.locator("#timeline-panel .marker.went-wrong").boundingBox();
      const lanes = await page.locator("#timeline-panel .tl-scroll").boundingBox();
      const label = await page.locator("#timeline-panel .tl-label").first().boundingBox();
      expect(cause && marker && lanes && label).toBeTruthy();
      const right = Math.min(lanes!.x + lanes!.width, 1400);
      const inView = (b: { x: number; width: number }) => b.x >= label!.x + label!.width && b.x + b.width <= right;
      expect(inView(cause!)).toBe(true);
      if (marker!.x + marker!.width - cause!.x <= right - (label!.x + label!.width)) expect(inView(marker!)).toBe(true);
      expect(await page.locator("#timeline-panel .tl-scroll").evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
      // The cause precedes the failure and shows a wrong value.
      const causeStep = Number(
        await page
          .locator("#timeline-panel .marker.cause")
          .evaluate((e) => (e.parentElement as HTMLElement).dataset.step),
      );
      expect(causeStep).toBeLessThan(steps.length - 1);
      expect(await page.locator(`#timeline-panel .tl-cell.stale[data-step="${causeStep}"]`).count()).toBeGreaterThan(0);

      // The lists show their entries, MSR = value, without a click; the stale exit-list entry is red.
      const exitEntries = page.locator('#timeline-panel .tl-cell[data-row="VM-exit list"] .entry');
      expect(await exitEntries.filter({ hasText: "PEBS_ENABLE=0x1" }).count()).toBeGreaterThan(0);
      expect(
        await page.locator('#timeline-panel .tl-cell[data-row="VM-exit list"] .entry.stale').count(),
      ).toBeGreaterThan(0);

      // KVM's WRMSR(PEBS_ENABLE, 0) before VM-entry is intended: that value is not red; the
      // stale bit live later is.
      const zeroing = steps.findIndex((x) => x.action === "add_atomic_switch_msr:wrmsr-pebs-enable-0");
      expect(zeroing).toBeGreaterThanOrEqual(0);
      const pebsAt = (i: number) =>
        page.locator(`#timeline-panel .tl-cell[data-row="PEBS_ENABLE"][data-step="${i}"]`).getAttribute("class");
      expect(await pebsAt(zeroing)).not.toContain("stale");
      expect(await page.locator('#timeline-panel .tl-cell[data-row="PEBS_ENABLE"].stale').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, "report-timeline.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
