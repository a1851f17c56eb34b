import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOSTILE, reportFixture } from "./__fixtures__/report-fixture.ts";
import { renderReport } from "./render-report.ts";
import { CHART_JS_SOURCE, CHART_JS_VERSION } from "./vendor/chart-js.generated.ts";

const html = renderReport(reportFixture());

describe("renderReport", () => {
  it("is one document with no external resource", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(CHART_JS_SOURCE.slice(0, 2000));
    const page = html.replace(CHART_JS_SOURCE, "");
    expect(page).not.toMatch(/<script[^>]+src=/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/@import|url\(/i);
  });

  it("escapes every piece of untrusted text", () => {
    expect(html).not.toContain("window.__pwned = 1</script>");
    expect(html).not.toContain('<img src=x onerror="window.__pwned');
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;");
    // Inside the JSON data block, < is \u003c.
    const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(data).not.toContain("<");
    expect(JSON.parse(data).variants).toHaveLength(4);
    expect(HOSTILE).toContain("</script>");
  });

  it("allows exactly its own scripts by hash", () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
    expect(scripts).toHaveLength(2);
    for (const script of scripts) {
      const hash = createHash("sha256").update(script, "utf8").digest("base64");
      expect(csp).toContain(`'sha256-${hash}'`);
    }
    expect(csp).toContain("default-src 'none'");
  });

  it("shows the summary, the frontier, the comparisons and the notable items", () => {
    for (const label of ["sim/reasoner · effort=high", "sim/hasty · effort=low"]) expect(html).toContain(label);
    expect(html).toContain(">frontier</span>");
    expect(html).toContain("Paired comparisons");
    expect(html).toContain("Slowest items");
    expect(html).toContain("Most expensive items");
    expect(html.match(/<details>/g)?.length).toBeGreaterThan(5);
    expect(html).toContain("is the most accurate");
  });

  it("is a pure function of its input", () => {
    expect(renderReport(reportFixture())).toBe(html);
  });
});

describe("the embedded Chart.js", () => {
  it("is the installed chart.js, byte for byte (run `pnpm --filter @reasonq/eval generate` after an upgrade)", () => {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve("chart.js"));
    expect(CHART_JS_SOURCE).toBe(readFileSync(join(dist, "chart.umd.min.js"), "utf8"));
    expect(CHART_JS_VERSION).toBe(JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")).version);
  });
});
