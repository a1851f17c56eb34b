import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { getJson } from "../api.ts";
import { ErrorBox, Loading, Section, useLoad } from "../components.ts";
import { count, usd } from "../format.ts";

interface UsageRow {
  group: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost: string;
  jobs: number;
}

interface UsageReport {
  from: string;
  to: string;
  data: UsageRow[];
  total: Omit<UsageRow, "group">;
  key: { id: string; name: string; spend_cap_usd: string | null; spent_usd: string };
}

const DAY = 86_400_000;

/** Every day of the range, with zeros where nothing was billed, so the bars are a timeline. */
function everyDay(report: UsageReport): UsageRow[] {
  const byDay = new Map(report.data.map((row) => [row.group.slice(0, 10), row]));
  const rows: UsageRow[] = [];
  for (let t = Date.parse(report.from.slice(0, 10)); t <= Date.parse(report.to); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    rows.push(
      byDay.get(day) ?? {
        group: day,
        input_tokens: 0,
        cached_input_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost: "0",
        jobs: 0,
      },
    );
  }
  return rows;
}

/** One bar per day; heights are for the eye only, every figure is in the table beside it. */
function DailyBars({ rows, value, label }: { rows: UsageRow[]; value: (r: UsageRow) => number; label: string }) {
  const max = Math.max(...rows.map(value), 0);
  const width = Math.max(rows.length * 14, 200);
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${width} 120`} preserveAspectRatio="none" width="100%" height="120" role="img" aria-label=${label}>
      ${rows.map((r, i) => {
        const h = max === 0 ? 0 : Math.max(1, (value(r) / max) * 100);
        return html`<rect x=${i * 14 + 2} y=${110 - h} width="10" height=${h}><title>${r.group}: ${value(r)}</title></rect>`;
      })}
    </svg>
    <figcaption>${label}</figcaption>
  </figure>`;
}

function Table({ rows, by }: { rows: UsageRow[]; by: string }) {
  return html`<table class="list">
    <thead><tr><th>${by}</th><th class="num">Jobs</th><th class="num">Input</th><th class="num">Cached</th><th class="num">Output</th><th class="num">Reasoning</th><th class="num">Cost</th></tr></thead>
    <tbody>${rows.map(
      (r) =>
        html`<tr><td>${r.group}</td><td class="num">${count(r.jobs)}</td><td class="num">${count(r.input_tokens)}</td><td class="num">${count(r.cached_input_tokens)}</td><td class="num">${count(r.output_tokens)}</td><td class="num">${count(r.reasoning_tokens)}</td><td class="num">${usd(r.cost)}</td></tr>`,
    )}</tbody>
  </table>`;
}

export function UsagePage() {
  const [days, setDays] = useState(30);
  const [usage] = useLoad(async () => {
    const from = new Date(Date.now() - days * DAY).toISOString();
    const get = (by: string) => getJson<UsageReport>(`/v1/usage?group_by=${by}&from=${encodeURIComponent(from)}`);
    const [day, model, provider] = await Promise.all([get("day"), get("model"), get("provider")]);
    return { day, model, provider };
  }, [days]);
  if (usage.state === "loading") return html`<${Loading} />`;
  if (usage.state === "error") return html`<${ErrorBox} error=${usage.error} />`;
  const { day, model, provider } = usage.value;
  const key = day.key;
  const cap = key.spend_cap_usd;
  const share = cap === null || Number(cap) === 0 ? null : Math.min(1, Number(key.spent_usd) / Number(cap));
  return html`<h1>Usage</h1>
    <div class="filters"><label>Range <select value=${days} onChange=${(e: Event) => setDays(Number((e.target as HTMLSelectElement).value))}>
      ${[7, 30, 90, 365].map((d) => html`<option value=${d}>last ${d} days</option>`)}
    </select></label></div>
    <${Section} title="This key">
      <p data-testid="spend">Key <strong>${key.name}</strong> (<code>${key.id}</code>) has spent <strong>${usd(key.spent_usd)}</strong>
        ${cap === null ? " and has no spend cap." : html` of its <strong>${usd(cap)}</strong> spend cap.`}</p>
      ${share === null ? null : html`<div class="progress"><div style=${`width: ${(share * 100).toFixed(1)}%`}></div></div>`}
      <p class="muted">In this range: ${count(day.total.jobs)} jobs, ${count(day.total.input_tokens)} input and ${count(day.total.output_tokens)} output tokens (${count(day.total.reasoning_tokens)} reasoning), ${usd(day.total.cost)}.</p>
    <//>
    <${Section} title="Over time">
      <div class="charts">
        <${DailyBars} rows=${everyDay(day)} value=${(r: UsageRow) => Number(r.cost)} label="spend per day (USD)" />
        <${DailyBars} rows=${everyDay(day)} value=${(r: UsageRow) => r.output_tokens} label="output tokens per day" />
      </div>
      <${Table} rows=${day.data} by="day" />
    <//>
    <${Section} title="By model"><${Table} rows=${model.data} by="model" /><//>
    <${Section} title="By provider"><${Table} rows=${provider.data} by="provider" /><//>`;
}
