import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { getJson, type Job, type List } from "../api.ts";
import { ErrorBox, Loading, Status, useLoad } from "../components.ts";
import { age, count, usd } from "../format.ts";

const STATUSES = ["", "queued", "running", "succeeded", "incomplete", "failed", "cancelled"];
const PAGE = 50;

interface Filters {
  status: string;
  model: string;
  batch_id: string;
  metadata: string;
}

function query(filters: Filters, after: string | undefined): string {
  const q = new URLSearchParams({ limit: String(PAGE) });
  for (const [name, value] of Object.entries(filters)) if (value !== "") q.set(name, value.trim());
  if (after !== undefined) q.set("after", after);
  return q.toString();
}

/** Newest first, paged by cursor (the last id of the page): each page is one index range scan. */
export function JobsPage() {
  const [filters, setFilters] = useState<Filters>({ status: "", model: "", batch_id: "", metadata: "" });
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const after = cursors[cursors.length - 1];
  const [jobs] = useLoad(() => getJson<List<Job>>(`/v1/jobs?${query(filters, after)}`), [filters, after]);

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? "");
    setFilters({
      status: value("status"),
      model: value("model"),
      batch_id: value("batch_id"),
      metadata: value("metadata"),
    });
    setCursors([undefined]);
  };

  return html`<h1>Jobs</h1>
    <form class="filters" onSubmit=${apply}>
      <label>Status <select name="status">${STATUSES.map((s) => html`<option value=${s}>${s === "" ? "any" : s}</option>`)}</select></label>
      <label>Model <input name="model" placeholder="sim/reasoner" /></label>
      <label>Batch <input name="batch_id" placeholder="bat_…" /></label>
      <label>Metadata <input name="metadata" placeholder="ticket:A-17" /></label>
      <button type="submit">Filter</button>
    </form>
    ${
      jobs.state === "loading"
        ? html`<${Loading} />`
        : jobs.state === "error"
          ? html`<${ErrorBox} error=${jobs.error} />`
          : html`<table class="list" data-testid="jobs-table">
              <thead><tr><th>Job</th><th>Status</th><th>Model</th><th>Provider</th><th class="num">Input</th><th class="num">Output (reasoning)</th><th class="num">Cost</th><th>Age</th></tr></thead>
              <tbody>
                ${jobs.value.data.map(
                  (job) => html`<tr>
                    <td><a href=${`#/jobs/${job.id}`}><code>${job.id}</code></a></td>
                    <td><${Status} status=${job.status} /></td>
                    <td>${job.model}</td>
                    <td>${job.provider}</td>
                    <td class="num">${count(job.usage?.input_tokens)}</td>
                    <td class="num">${count(job.usage?.output_tokens)} (${count(job.usage?.reasoning_tokens)})</td>
                    <td class="num">${usd(job.cost?.total)}</td>
                    <td title=${job.created_at}>${age(job.created_at)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            ${jobs.value.data.length === 0 ? html`<p class="muted">No jobs.</p>` : null}
            <div class="pager">
              <button disabled=${cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>Newer</button>
              <button disabled=${!jobs.value.has_more} onClick=${() => setCursors([...cursors, jobs.value.next_cursor ?? undefined])}>Older</button>
            </div>`
    }`;
}
