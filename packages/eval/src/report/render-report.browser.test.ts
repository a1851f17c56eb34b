import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium, type TestBrowser } from "@reasonq/testkit";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportFixture } from "./__fixtures__/report-fixture.ts";
import { renderReport } from "./render-report.ts";

const ARTIFACTS = resolve(fileURLToPath(import.meta.url), "../../../../../test-artifacts");
const HTML_PATH = join(ARTIFACTS, "report-test.html");
const SCREENSHOT = join(ARTIFACTS, "report.png");
const CHARTS = ["chart-cost-accuracy", "chart-accuracy-setting", "chart-reasoning-tokens", "chart-outcomes"];

/** The little of the page's DOM these callbacks touch (this package compiles without lib.dom). */
interface PageGlobal {
  document: { getElementById(id: string): { getAttribute(name: string): string | null } | null };
  __pwned?: number;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(
    kind: "2d",
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

describe("the report in headless Chromium", () => {
  let browser: TestBrowser | undefined;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(HTML_PATH, renderReport(reportFixture()));
    browser = await launchChromium();
    const { context } = browser;
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning") problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(HTML_PATH).href, { waitUntil: "load" });
    await page.waitForFunction(
      (ids) => {
        const { document } = globalThis as unknown as PageGlobal;
        return ids.every((id) => document.getElementById(id)?.getAttribute("data-drawn") === "true");
      },
      CHARTS,
      { timeout: 15_000 },
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("loads with no console errors, page errors or requests beyond itself", () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(HTML_PATH).href]);
  });

  it("draws every chart on a non-blank canvas", async () => {
    for (const id of CHARTS) {
      const canvas = page.locator(`#${id} canvas`);
      const box = await canvas.boundingBox();
      expect(box?.width, id).toBeGreaterThan(200);
      expect(box?.height, id).toBeGreaterThan(150);
      const inked = await canvas.evaluate((element) => {
        const c = element as unknown as PageCanvas;
        const pixels = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data;
        if (pixels === undefined) return 0;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) count++;
        return count / (c.width * c.height);
      });
      // Axes, labels and data: more than a few stray pixels, far from a filled rectangle.
      expect(inked, id).toBeGreaterThan(0.01);
      expect(inked, id).toBeLessThan(0.9);
    }
  });

  it("keeps untrusted text inert and visible as text", async () => {
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).__pwned)).toBeUndefined();
    expect(await page.locator("h1").textContent()).toContain("</script><script>window.__pwned = 1</script>");
    expect(await page.locator("img").count()).toBe(0);
  });

  it("reveals an item's reasoning with one click", async () => {
    const details = page.locator("#slowest details").first();
    const reasoning = details.locator("pre.reasoning");
    await expect.poll(() => reasoning.isVisible()).toBe(false);
    await details.locator("summary").click();
    await expect.poll(() => reasoning.isVisible()).toBe(true);
    expect(await reasoning.textContent()).toMatch(/The question asks for \d+ \* \d+\./);
    await details.locator("summary").click();
  });

  it("saves a full-page screenshot as a test artefact", async () => {
    await page.locator("#most-expensive details").first().locator("summary").click();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
