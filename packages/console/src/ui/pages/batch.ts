import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { getJson, getJsonLines, getText } from "../api.ts";
import { ErrorBox, Loading, Section, Status, useLoad } from "../components.ts";
import { count, pct, usd } from "../format.ts";

export interface BatchVariant {
  index: number;
  id: string;
  label: string;
  model: string;
  n: number;
  correct: number;
  accuracy: number | null;
  accuracy_ci95: { low: number; high: number } | null;
  reasoning_tokens: { mean: number | null; p50: number | null; p95: number | null };
  total_cost: string;
  cost_per_correct: string | null;
  latency_ms: { p50: number | null; p95: number | null };
}

export interface Batch {
  id: string;
  name: string;
  status: string;
  stop_reason: string | null;
  created_at: string;
  spent_usd: string;
  max_cost_usd: string | null;
  progress: { total_jobs: number; created_jobs: number; finished_jobs: number };
  variants?: BatchVariant[];
}

interface ResultLine {
  item_id: string;
  variant_id: string;
  variant_label: string;
  repeat: number;
  job_id: string;
  status: string;
  correct: boolean | null;
  extracted: string | null;
  reasoning_tokens: number | null;
  cost: string | null;
}

const OUTCOMES = { all: "all", correct: "correct", wrong: "wrong", unscored: "not scored (failed, cancelled…)" };
type Outcome = keyof typeof OUTCOMES;

function outcomeOf(row: ResultLine): Outcome {
  if (row.correct === true) return "correct";
  if (row.correct === false) return "wrong";
  return "unscored";
}

function useBatch(id: string) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await getJson<Batch>(`/v1/batches/${encodeURIComponent(id)}`);
        if (stopped) return;
        setBatch(next);
        if (next.status === "running") timer = setTimeout(poll, 1000);
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  return { batch, error };
}

function Variants({ batch, onPick }: { batch: Batch; onPick: (variantId: string) => void }) {
  return html`<table class="list" data-testid="variants">
    <thead><tr><th>Variant</th><th class="num">n</th><th class="num">Accuracy</th><th class="num">95% CI</th><th class="num">Reasoning tokens (mean)</th><th class="num">Cost</th><th class="num">Cost / correct</th><th class="num">p50 latency</th><th></th></tr></thead>
    <tbody>
      ${(batch.variants ?? []).map(
        (v) => html`<tr>
          <td>${v.label}</td>
          <td class="num">${v.n}</td>
          <td class="num">${pct(v.accuracy)}</td>
          <td class="num">${v.accuracy_ci95 === null ? "–" : `${pct(v.accuracy_ci95.low)} – ${pct(v.accuracy_ci95.high)}`}</td>
          <td class="num">${count(v.reasoning_tokens.mean === null ? null : Math.round(v.reasoning_tokens.mean))}</td>
          <td class="num">${usd(v.total_cost)}</td>
          <td class="num">${usd(v.cost_per_correct)}</td>
          <td class="num">${v.latency_ms.p50 === null ? "–" : `${Math.round(v.latency_ms.p50)} ms`}</td>
          <td><button class="link" onClick=${() => onPick(v.id)}>wrong answers</button></td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Results({
  rows,
  batch,
  variant,
  outcome,
  onFilter,
}: {
  rows: ResultLine[];
  batch: Batch;
  variant: string;
  outcome: Outcome;
  onFilter: (variant: string, outcome: Outcome) => void;
}) {
  const shown = rows.filter(
    (r) => (variant === "" || r.variant_id === variant) && (outcome === "all" || outcomeOf(r) === outcome),
  );
  return html`<div class="filters">
      <label>Variant <select data-testid="variant-filter" value=${variant} onChange=${(e: Event) => onFilter((e.target as HTMLSelectElement).value, outcome)}>
        <option value="">all</option>
        ${(batch.variants ?? []).map((v) => html`<option value=${v.id}>${v.label}</option>`)}
      </select></label>
      <label>Outcome <select data-testid="outcome-filter" value=${outcome} onChange=${(e: Event) => onFilter(variant, (e.target as HTMLSelectElement).value as Outcome)}>
        ${Object.entries(OUTCOMES).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select></label>
      <span class="muted">${shown.length} of ${rows.length} results</span>
    </div>
    <table class="list" data-testid="results">
      <thead><tr><th>Item</th><th>Variant</th><th class="num">Repeat</th><th>Status</th><th>Outcome</th><th>Extracted</th><th class="num">Reasoning tokens</th><th class="num">Cost</th><th>Job</th></tr></thead>
      <tbody>
        ${shown.slice(0, 500).map(
          (r) => html`<tr>
            <td>${r.item_id}</td>
            <td>${r.variant_label}</td>
            <td class="num">${r.repeat}</td>
            <td><${Status} status=${r.status} /></td>
            <td>${outcomeOf(r) === "correct" ? "✓ correct" : outcomeOf(r) === "wrong" ? "✗ wrong" : "–"}</td>
            <td><code>${r.extracted ?? ""}</code></td>
            <td class="num">${count(r.reasoning_tokens)}</td>
            <td class="num">${usd(r.cost)}</td>
            <td><a href=${`#/jobs/${r.job_id}`}><code>${r.job_id}</code></a></td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${shown.length > 500 ? html`<p class="muted">The first 500 are shown; narrow the filters.</p>` : null}`;
}

export function BatchPage({ id }: { id: string }) {
  const { batch, error } = useBatch(id);
  const done = batch !== null && batch.status !== "running";
  const path = `/v1/batches/${encodeURIComponent(id)}`;
  const [results] = useLoad(
    () => (done ? getJsonLines<ResultLine>(`${path}/results`) : Promise.resolve([])),
    [id, done],
  );
  const [report] = useLoad(() => (done ? getText(`${path}/report`) : Promise.resolve("")), [id, done]);
  const [filter, setFilter] = useState<{ variant: string; outcome: Outcome }>({ variant: "", outcome: "all" });

  if (error !== null) return html`<h1><code>${id}</code></h1><${ErrorBox} error=${error} />`;
  if (batch === null) return html`<${Loading} />`;
  const p = batch.progress;
  const share = p.total_jobs === 0 ? 1 : p.finished_jobs / p.total_jobs;
  const pick = (variant: string) => {
    setFilter({ variant, outcome: "wrong" });
    document.getElementById("results")?.scrollIntoView();
  };
  return html`<div class="job-head"><h1>${batch.name}</h1><${Status} status=${batch.status} /></div>
    <p class="facts"><code>${batch.id}</code> · spent ${usd(batch.spent_usd)}${batch.max_cost_usd === null ? "" : ` of ${usd(batch.max_cost_usd)}`}${batch.stop_reason === null ? "" : ` · ${batch.stop_reason}`}
</p>
    <div class="progress" data-testid="progress"><div style=${`width: ${(share * 100).toFixed(1)}%`}></div></div>
    <p class="muted">${p.finished_jobs} of ${p.total_jobs} jobs finished</p>
    <${Section} title="Variants"><${Variants} batch=${batch} onPick=${pick} /><//>
    ${
      report.state === "ok" && report.value !== ""
        ? html`<details class="card" open>
            <summary><h2>Report charts</h2></summary>
            <iframe class="report" title="batch report" sandbox="allow-scripts" srcdoc=${report.value}></iframe>
          </details>`
        : null
    }
    <section class="card" id="results"><h2>Results</h2>
      ${
        !done
          ? html`<p class="muted">Shown when the batch ends.</p>`
          : results.state === "ok"
            ? html`<${Results} rows=${results.value} batch=${batch} variant=${filter.variant} outcome=${filter.outcome} onFilter=${(variant: string, outcome: Outcome) => setFilter({ variant, outcome })} />`
            : results.state === "error"
              ? html`<${ErrorBox} error=${results.error} />`
              : html`<${Loading} />`
      }
    </section>
`;
}
