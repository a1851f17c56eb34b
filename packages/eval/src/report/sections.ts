import { addDecimalStrings, money } from "@reasonq/billing";
import type { VariantSummary } from "../aggregate/aggregator.ts";
import type { PairedComparison } from "../aggregate/compare.ts";
import { esc, int, ms, pct, pValue, usd } from "./format.ts";
import type { ReportBatch, ReportItem } from "./report-input.ts";

/** Longest stretch of reasoning or answer shown per item; the rest is cut with a note. */
const MAX_TEXT_CHARS = 20_000;

export function headerSection(batch: ReportBatch): string {
  const facts = [
    `batch <code>${esc(batch.id)}</code>`,
    `created ${esc(batch.created_at)}`,
    batch.completed_at ? `completed ${esc(batch.completed_at)}` : null,
    batch.dataset ? `dataset ${esc(batch.dataset)}` : null,
    batch.scorer ? `scorer ${esc(batch.scorer)}` : null,
    batch.repeats !== undefined && batch.repeats > 1 ? `${batch.repeats} repeats per item` : null,
    batch.lane === "provider_batch" ? "lane provider_batch (the providers' batch APIs)" : null,
  ].filter((f) => f !== null);
  const status = batch.status ? `<span class="status ${esc(batch.status)}">${esc(batch.status)}</span>` : "";
  return `<header class="top">
  <div>
    <p class="eyebrow">reasonq · batch evaluation</p>
    <h1>${esc(batch.name || batch.id)}</h1>
    <p class="meta">${facts.join(" · ")}</p>
  </div>
  ${status}
</header>`;
}

const byAccuracy = (a: VariantSummary, b: VariantSummary) => (b.accuracy ?? -1) - (a.accuracy ?? -1);

/** One sentence that says what the numbers say: the most accurate variant, and the cheapest. */
export function headline(variants: readonly VariantSummary[]): string {
  const scored = variants.filter((v) => v.accuracy !== null && v.mean_cost !== null);
  if (scored.length === 0) return "";
  const best = [...scored].sort(byAccuracy)[0] as VariantSummary;
  const cheapest = [...scored].sort((a, b) =>
    money(a.mean_cost as string).comparedTo(money(b.mean_cost as string)),
  )[0] as VariantSummary;
  const ci = (v: VariantSummary) =>
    v.accuracy_ci === null ? "" : ` [${pct(v.accuracy_ci.low, 0)}–${pct(v.accuracy_ci.high, 0)}]`;
  const first = `<b>${esc(best.variant.label)}</b> is the most accurate: ${pct(best.accuracy)}${ci(best)} at ${usd(best.mean_cost)} per item.`;
  if (cheapest.variant.id === best.variant.id) return `<p class="headline">${first} It is also the cheapest.</p>`;
  const ratio = money(best.mean_cost as string).dividedBy(money(cheapest.mean_cost as string));
  const times = money(cheapest.mean_cost as string).isZero()
    ? ""
    : ` — ${ratio.toSignificantDigits(2).toString()}× cheaper`;
  return `<p class="headline">${first} The cheapest, <b>${esc(cheapest.variant.label)}</b>, reaches ${pct(cheapest.accuracy)}${ci(cheapest)} at ${usd(cheapest.mean_cost)} per item${times}.</p>`;
}

export function cards(batch: ReportBatch, variants: readonly VariantSummary[]): string {
  const results = variants.reduce((n, v) => n + v.n, 0);
  const failed = variants.reduce((n, v) => n + v.outcomes.failed, 0);
  const spent = addDecimalStrings([
    ...variants.map((v) => v.total_cost),
    ...(batch.judge_cost ? [batch.judge_cost] : []),
  ]);
  const best = [...variants].filter((v) => v.accuracy !== null).sort(byAccuracy)[0];
  const card = (k: string, v: string, s = "") =>
    `<div class="card"><div class="k">${k}</div><div class="v">${v}</div><div class="s">${s}</div></div>`;
  return `<div class="cards">
  ${card("Items", batch.items == null ? "—" : int(batch.items), `${variants.length} variant${variants.length === 1 ? "" : "s"}`)}
  ${card("Results", int(results), failed > 0 ? `${int(failed)} failed` : "none failed")}
  ${card("Total spend", usd(spent), spendNote(batch))}
  ${card("Best accuracy", best ? pct(best.accuracy) : "—", best ? esc(best.variant.label) : "")}
</div>`;
}

function spendNote(batch: ReportBatch): string {
  const saving = batch.provider_batch_saving;
  if (saving) return `saved ${usd(saving.saved_usd)} against ${usd(saving.interactive_usd)} interactive`;
  if (batch.judge_cost) return `judge ${usd(batch.judge_cost)} included`;
  return batch.max_cost_usd ? `cap ${usd(batch.max_cost_usd)}` : "";
}

function outcomeMix(v: VariantSummary): string {
  const o = v.outcomes;
  const pills = [`<span class="pill ok">${int(o.succeeded)} ok</span>`];
  if (o.truncated > 0) pills.push(`<span class="pill trunc">${int(o.truncated)} truncated</span>`);
  if (o.refused > 0) pills.push(`<span class="pill refused">${int(o.refused)} refused</span>`);
  for (const [type, count] of Object.entries(o.failed_by_type)) {
    pills.push(`<span class="pill failed" title="failed: ${esc(type)}">${int(count)} ${esc(type)}</span>`);
  }
  if (o.cancelled > 0) pills.push(`<span class="pill">${int(o.cancelled)} cancelled</span>`);
  return `<div class="mix">${pills.join("")}</div>`;
}

function accuracyCell(v: VariantSummary, color: string, best: boolean): string {
  if (v.accuracy === null || v.accuracy_ci === null)
    return `<td class="acc"><span class="empty">not graded</span></td>`;
  const { low, high } = v.accuracy_ci;
  const value = pct(v.accuracy);
  return `<td class="acc">
    <div class="acc-top">${best ? `<b>${value}</b>` : value}<span class="sub">${int(v.correct)}/${int(v.graded)}</span></div>
    <div class="ci-bar" title="95% Wilson interval"><span class="range" style="left:${(low * 100).toFixed(2)}%;width:${((high - low) * 100).toFixed(2)}%;background:${color}"></span><span class="point" style="left:${(v.accuracy * 100).toFixed(2)}%;background:${color}"></span></div>
    <span class="sub">${(low * 100).toFixed(1)} – ${pct(high)}</span></td>`;
}

export function summaryTable(variants: readonly VariantSummary[], colors: Map<string, string>): string {
  const repeats = variants.some((v) => v.pass_at_k !== null || v.majority_vote !== null);
  const top = Math.max(...variants.map((v) => v.accuracy ?? -1));
  const rows = variants.map((v) => {
    const color = colors.get(v.variant.id) ?? "#64748b";
    const t = v.reasoning_tokens;
    const best = v.accuracy !== null && v.accuracy === top;
    const badges = [
      v.on_frontier
        ? `<span class="badge" title="No other variant is both cheaper and more accurate">frontier</span>`
        : "",
      best ? `<span class="badge best">most accurate</span>` : "",
    ].join(" ");
    const passK = v.pass_at_k?.map((p) => `pass@${p.k} ${pct(p.value)}`).join("<br>") ?? "—";
    const majority = v.majority_vote === null ? "—" : pct(v.majority_vote.accuracy);
    return `<tr>
  <td><div class="variant"><span class="swatch" style="background:${color}"></span>${esc(v.variant.label)}</div><div class="badges">${badges}</div></td>
  <td class="num">${int(v.n)}</td>
  ${accuracyCell(v, color, best)}
  <td class="num">${t === null ? "—" : `${int(t.mean)}<span class="sub">${int(t.p50)} · ${int(t.p95)}</span>`}</td>
  <td class="num">${usd(v.total_cost)}<span class="sub">${usd(v.mean_cost)} / item</span></td>
  <td class="num">${usd(v.cost_per_correct)}</td>
  <td class="num">${v.latency_ms === null ? "—" : `${ms(v.latency_ms.p50)}<span class="sub">${ms(v.latency_ms.p95)}</span>`}</td>
  ${repeats ? `<td class="num">${passK}</td><td class="num">${majority}</td>` : ""}
  <td class="outcomes">${outcomeMix(v)}</td>
</tr>`;
  });
  return `<section class="panel" id="summary">
  <div class="panel-head"><h2>Summary by variant</h2><p class="hint">Accuracy counts succeeded and incomplete answers; failed and cancelled jobs are shown under outcomes.</p></div>
  <div class="table-wrap"><table class="summary">
    <thead><tr><th>Variant</th><th class="num">n</th><th>Accuracy<span class="sub">95% Wilson CI</span></th><th class="num">Reasoning tokens<span class="sub">mean · p50 · p95</span></th><th class="num">Total cost<span class="sub">mean per item</span></th><th class="num">Cost per<span class="sub">correct answer</span></th><th class="num">Latency p50<span class="sub">p95</span></th>${repeats ? `<th class="num">pass@k</th><th class="num">Majority<span class="sub">vote</span></th>` : ""}<th>Outcomes</th></tr></thead>
    <tbody>${rows.join("\n")}</tbody>
  </table></div>
</section>`;
}

export function chartPanels(variantCount: number): string {
  const tall = Math.max(220, 70 + variantCount * 44);
  const panel = (id: string, title: string, hint: string, height?: number) => `<section class="panel">
  <div class="panel-head"><h2>${title}</h2><p class="hint">${hint}</p></div>
  <div class="chart${height === undefined ? "" : " tall"}" id="${id}"${height === undefined ? "" : ` style="--chart-height:${height}px"`}><canvas role="img" aria-label="${title}"></canvas></div>
</section>`;
  return `<div class="grid2">
${panel("chart-cost-accuracy", "Accuracy vs cost", "Each point is a variant; bars are 95% Wilson intervals; ◆ and the dashed line mark the cost–accuracy frontier.")}
${panel("chart-accuracy-setting", "Accuracy by reasoning budget", "One line per model, reasoning settings from least to most.")}
${panel("chart-reasoning-tokens", "Reasoning-token distribution", "Box: quartiles; line: median; dot: mean; whiskers: min–max.", tall)}
${panel("chart-outcomes", "Outcomes", "How each variant's jobs ended.", tall)}
</div>`;
}

export function comparisonsSection(comparisons: readonly PairedComparison[], labels: Map<string, string>): string {
  if (comparisons.length === 0) return "";
  const name = (id: string) => esc(labels.get(id) ?? id);
  const rows = comparisons.map((c) => {
    const diff = c.difference === null ? "—" : `${c.difference >= 0 ? "+" : "−"}${pct(Math.abs(c.difference))}`;
    const ci = `[${c.bootstrap.low >= 0 ? "+" : "−"}${pct(Math.abs(c.bootstrap.low))}, ${c.bootstrap.high >= 0 ? "+" : "−"}${pct(Math.abs(c.bootstrap.high))}]`;
    const significant = c.mcnemar.p_value < 0.05;
    return `<tr>
  <td><b>${name(c.b)}</b> <span class="sub inline">vs</span> ${name(c.a)}</td>
  <td class="num">${int(c.pairs)}</td>
  <td class="num">${pct(c.accuracy_b)} <span class="sub inline">vs</span> ${pct(c.accuracy_a)}</td>
  <td class="num"><b>${diff}</b><span class="sub">${ci}</span></td>
  <td class="num">${int(c.only_b)} / ${int(c.only_a)}</td>
  <td class="num"><span class="verdict ${significant ? "yes" : "na"}">${pValue(c.mcnemar.p_value)}</span><span class="sub">${c.mcnemar.method === "exact" ? "exact binomial" : "χ² with continuity correction"}</span></td>
</tr>`;
  });
  return `<section class="panel" id="comparisons">
  <div class="panel-head"><h2>Paired comparisons</h2><p class="hint">Same items, same repeats. Difference with a 95% paired-bootstrap interval; McNemar's test on the items only one variant got right.</p></div>
  <div class="table-wrap"><table>
    <thead><tr><th>Comparison</th><th class="num">Pairs</th><th class="num">Accuracy</th><th class="num">Difference</th><th class="num">Right only in first<span class="sub">/ only in second</span></th><th class="num">McNemar p</th></tr></thead>
    <tbody>${rows.join("\n")}</tbody>
  </table></div>
</section>`;
}

function clip(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return esc(text);
  return `${esc(text.slice(0, MAX_TEXT_CHARS))}\n\n… (${int(text.length - MAX_TEXT_CHARS)} more characters not shown)`;
}

function verdictCell(item: ReportItem): string {
  if (item.status === "failed" || item.status === "cancelled")
    return `<span class="verdict na">${esc(item.status)}</span>`;
  if (item.correct === null) return `<span class="verdict na">–</span>`;
  return item.correct ? `<span class="verdict yes">✓ right</span>` : `<span class="verdict no">✗ wrong</span>`;
}

function itemRows(items: readonly ReportItem[], labels: Map<string, string>, colors: Map<string, string>): string {
  return items
    .map((item) => {
      const reasoning =
        item.reasoning === null || item.reasoning === ""
          ? `<p class="empty">No reasoning text was returned.</p>`
          : `<pre class="reasoning">${clip(item.reasoning)}</pre>`;
      const answer =
        item.answer === null || item.answer === ""
          ? `<p class="empty">No answer.</p>`
          : `<pre>${clip(item.answer)}</pre>`;
      const expected = item.expected === null ? "" : `<h4>Expected</h4><pre>${esc(item.expected)}</pre>`;
      const extracted = item.extracted == null ? "" : ` · scorer read <code>${esc(item.extracted)}</code>`;
      const repeat = item.repeat > 0 ? ` <span class="sub inline">repeat ${item.repeat + 1}</span>` : "";
      return `<tbody class="item">
<tr class="item-main">
  <td class="prompt-cell"><b>${esc(item.item_id)}</b>${repeat}<div class="clip">${esc(item.prompt)}</div></td>
  <td><div class="variant"><span class="swatch" style="background:${colors.get(item.variant_id) ?? "#64748b"}"></span>${esc(labels.get(item.variant_id) ?? item.variant_id)}</div></td>
  <td>${verdictCell(item)}</td>
  <td class="num">${ms(item.latency_ms)}</td>
  <td class="num">${usd(item.cost)}</td>
  <td class="num">${int(item.reasoning_tokens)}</td>
</tr>
<tr class="item-detail"><td colspan="6"><details><summary>Reasoning and answer</summary><div class="reveal">
  <div class="reveal-side">
    <h4>Prompt</h4><pre>${clip(item.prompt)}</pre>
    <h4>Answer${extracted}</h4>${answer}
    ${expected}
  </div>
  <div class="reveal-main"><h4>Reasoning${item.reasoning_tokens === null ? "" : ` · ${int(item.reasoning_tokens)} tokens`}</h4>${reasoning}</div>
</div></details></td></tr>
</tbody>`;
    })
    .join("\n");
}

export function notableSections(
  items: readonly ReportItem[],
  count: number,
  labels: Map<string, string>,
  colors: Map<string, string>,
): string {
  if (items.length === 0) return "";
  const slowest = items
    .filter((i) => i.latency_ms !== null)
    .sort((a, b) => (b.latency_ms as number) - (a.latency_ms as number))
    .slice(0, count);
  const priciest = [...items].sort((a, b) => money(b.cost).comparedTo(money(a.cost))).slice(0, count);
  const table = (
    id: string,
    title: string,
    hint: string,
    rows: readonly ReportItem[],
  ) => `<section class="panel" id="${id}">
  <div class="panel-head"><h2>${title}</h2><p class="hint">${hint}</p></div>
  <div class="table-wrap"><table>
    <thead><tr><th>Item</th><th>Variant</th><th>Verdict</th><th class="num">Latency</th><th class="num">Cost</th><th class="num">Reasoning tokens</th></tr></thead>
    ${itemRows(rows, labels, colors)}
  </table></div>
</section>`;
  return [
    table("slowest", "Slowest items", "Open a row to read the model's reasoning.", slowest),
    table("most-expensive", "Most expensive items", "Reasoning tokens are billed at the output price.", priciest),
  ].join("\n");
}
