import { html } from "htm/preact";
import { getJson, type List } from "../api.ts";
import { ErrorBox, Loading, Status, useLoad } from "../components.ts";
import { age, usd } from "../format.ts";
import type { Batch } from "./batch.ts";

export function BatchesPage() {
  const [batches] = useLoad(() => getJson<List<Batch>>("/v1/batches?limit=100"), []);
  if (batches.state === "loading") return html`<${Loading} />`;
  if (batches.state === "error") return html`<${ErrorBox} error=${batches.error} />`;
  return html`<h1>Batches</h1>
    <table class="list" data-testid="batches-table">
      <thead><tr><th>Batch</th><th>Name</th><th>Status</th><th class="num">Jobs done</th><th class="num">Spent</th><th>Age</th></tr></thead>
      <tbody>
        ${batches.value.data.map(
          (b) => html`<tr>
            <td><a href=${`#/batches/${b.id}`}><code>${b.id}</code></a></td>
            <td>${b.name}</td>
            <td><${Status} status=${b.status} /></td>
            <td class="num">${b.progress.finished_jobs} / ${b.progress.total_jobs}</td>
            <td class="num">${usd(b.spent_usd)}</td>
            <td>${age(b.created_at)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${batches.value.data.length === 0 ? html`<p class="muted">No batches yet: <code>pnpm reasonq eval examples/arithmetic.jsonl --models sim/reasoner,sim/hasty</code>.</p>` : null}`;
}
