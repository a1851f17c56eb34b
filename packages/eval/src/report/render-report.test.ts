import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { aggregate } from "../aggregate/aggregator.ts";
import { variantsFrom } from "../grid.ts";
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

describe("renderReport on thin data", () => {
  it("renders a batch with repeats, budgets and a variant without results", () => {
    const variants = variantsFrom([
      { model: "anthropic/claude-sonnet-4-20250514", reasoning: { budget_tokens: 4000 } },
      { model: "anthropic/claude-sonnet-4-20250514", reasoning: { budget_tokens: 1024 } },
      { model: "openai/o3-mini" },
    ]);
    const rows = [0, 1, 2].map((repeat) => ({
      item_id: "q1",
      variant_id: variants[0]?.id as string,
      repeat,
      status: "succeeded" as const,
      correct: repeat !== 1,
      extracted: repeat === 1 ? "41" : "42",
      reasoning_tokens: 900 + repeat,
      output_tokens: 950,
      cost: "0.0142",
      latency_ms: 8000,
    }));
    const page = renderReport({
      batch: { id: "bat_x", created_at: "2026-11-20T10:00:00Z", repeats: 3 },
      variants: aggregate(rows, { variants, repeats: 3 }),
    });
    expect(page).toContain("pass@3 100.0%");
    expect(page).toContain("not graded");
    expect(page).not.toContain("Paired comparisons");
    expect(page).not.toContain("Slowest items");
    const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "{}");
    expect(data.settings).toEqual(["default", "1024 tokens", "4000 tokens"]);
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
