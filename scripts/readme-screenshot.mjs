#!/usr/bin/env node
// Make docs/report.png for the README: the default matrix as HTML, opened in Debian's Chromium,
// with the guest page fault of the 2021 race (original, skylake-server-no-isolation,
// handoff-guest-counter) clicked open. Run after `pnpm build`.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { runMatrix } = await import("../packages/conformance/dist/index.js");
const { builtinProfiles } = await import("../packages/hardware/dist/index.js");
const { discoverPolicies } = await import("../packages/policy-api/dist/index.js");
const { renderHtml } = await import("../packages/report/dist/index.js");
const { chromium } = await import("../packages/report/node_modules/playwright-core/index.mjs");

const { policies } = await discoverPolicies(root);
const m = runMatrix({ policies, profiles: builtinProfiles() });
// The page itself is 10 MB: it is written outside the repository, only the picture is kept.
const file = join(tmpdir(), "switchlab-readme-report.html");
writeFileSync(file, renderHtml(m));
const i = m.cells.findIndex(
  (c) =>
    c.policy === "original" &&
    c.profile === "skylake-server-no-isolation" &&
    c.scenario === "handoff-guest-counter" &&
    c.property === "no-guest-pf-on-host-ds",
);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
await page.goto(pathToFileURL(file).href);
await page.selectOption("#filter-scenario", "handoff-guest-counter");
await page.locator(`#matrix td.violated[data-cell="${i}"]`).click();
await page.locator("#timeline-panel .timeline").waitFor();
await page.locator("#timeline-panel .marker.lane-nmi").first().click();
await page.screenshot({ path: `${root}docs/report.png`, fullPage: true });
await browser.close();
console.log("wrote docs/report.png");
