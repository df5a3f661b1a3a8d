import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
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
      expect(await page.locator("#matrix td.cell").count()).toBe(m.cells.length);
      const violated = m.cells.filter((c) => c.verdict === "violated");
      expect(await page.locator("#matrix td.violated").count()).toBe(violated.length);

      const target = violated.find((c) => c.property === "no-guest-pf-on-host-ds")!;
      await page.locator(`#matrix td.violated[data-cell="${m.cells.indexOf(target)}"]`).click();
      await page.locator("#timeline-panel .timeline").waitFor();
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
});
