import { createHash } from "node:crypto";
import { chartData, variantColors } from "./chart-data.ts";
import { chartPlugins } from "./client-plugins.ts";
import { drawCharts } from "./client-script.ts";
import { esc, jsonForScript } from "./format.ts";
import type { ReportInput } from "./report-input.ts";
import {
  cards,
  chartPanels,
  comparisonsSection,
  headerSection,
  headline,
  notableSections,
  summaryTable,
} from "./sections.ts";
import { REPORT_CSS } from "./styles.ts";
import { CHART_JS_SOURCE, CHART_JS_VERSION } from "./vendor/chart-js.generated.ts";

/** A script's text may not close its element early. */
function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * The batch report: one self-contained HTML document (SPEC §6). Chart.js is inlined (no
 * CDN, no fonts, no requests: the Content-Security-Policy forbids every fetch and allows
 * only the page's own two scripts, by hash), so the file renders offline and text that
 * escaped escaping still could not run. Every prompt, answer, reasoning, id and label is
 * escaped. A pure function of its input.
 */
export function renderReport(input: ReportInput): string {
  const { batch, variants } = input;
  const labels = new Map(variants.map((v) => [v.variant.id, v.variant.label]));
  const colors = variantColors(variants);
  const library = inlineScript(CHART_JS_SOURCE);
  const boot = inlineScript(
    `(${drawCharts.toString()})(window.Chart, JSON.parse(document.getElementById("report-data").textContent), document, ${chartPlugins.toString()});`,
  );
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(library)} ${sha256(boot)}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const title = `${batch.name || batch.id} · reasonq evaluation`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="reasonq eval report, Chart.js ${esc(CHART_JS_VERSION)}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${headerSection(batch)}
${headline(variants)}
${cards(batch, variants)}
${summaryTable(variants, colors)}
${chartPanels(variants.length)}
${comparisonsSection(input.comparisons ?? [], labels)}
${notableSections(input.items ?? [], input.notable ?? 8, labels, colors)}
<footer>reasonq batch report${input.generated_at ? ` · generated ${esc(input.generated_at)}` : ""} · charts by Chart.js ${esc(CHART_JS_VERSION)} (MIT), embedded</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData(variants))}</script>
<script>${library}</script>
<script>${boot}</script>
</body>
</html>
`;
}
