import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type Job, postJson } from "../api.ts";
import { ErrorBox, Json, Loading, Markdown, Section, Status } from "../components.ts";
import { count, duration, TERMINAL, usd } from "../format.ts";
import { Conversation, CostBreakdown, ThinkingBlocks } from "./job-parts.ts";
import { useLiveJob } from "./live-job.ts";

function Attempts({ job }: { job: Job }) {
  const attempts = job.attempt_list ?? [];
  if (attempts.length === 0) return null;
  return html`<${Section} title="Attempts">
    <table class="list" data-testid="attempts">
      <thead><tr><th>#</th><th>Outcome</th><th>Started</th><th>Took</th><th class="num">Output tokens</th><th class="num">Cost</th><th>Error</th></tr></thead>
      <tbody>
        ${attempts.map(
          (a) => html`<tr>
            <td>${a.attempt}</td>
            <td><${Status} status=${a.outcome} /></td>
            <td>${new Date(a.started_at).toLocaleString()}</td>
            <td>${duration(a.started_at, a.ended_at)}</td>
            <td class="num">${count(a.usage?.output_tokens)}</td>
            <td class="num">${usd(a.cost_total)}</td>
            <td>${a.error === null ? "" : html`<code>${a.error.type}</code> ${a.error.message}`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  <//>`;
}

function Columns({
  reasoning,
  answer,
  kind,
  live,
}: {
  reasoning: string;
  answer: string;
  kind: string;
  live: boolean;
}) {
  return html`<div class="columns">
    <section class="card">
      <details open>
        <summary><h2>Reasoning <small class="muted">${kind}${live ? " · live" : ""}</small></h2></summary>
        ${
          reasoning === ""
            ? html`<p class="muted">${kind === "hidden" ? "The provider does not return this model's reasoning." : "No reasoning."}</p>`
            : live
              ? html`<pre class="stream" data-testid="reasoning">${reasoning}</pre>`
              : html`<${Markdown} text=${reasoning} testid="reasoning" />`
        }
      </details>
    </section>
    <section class="card">
      <h2>Answer</h2>
      ${answer === "" ? html`<p class="muted">${live ? "Waiting for the answer…" : "(empty)"}</p>` : html`<${Markdown} text=${answer} testid="answer" />`}
    </section>
  </div>`;
}

export function JobPage({ id }: { id: string }) {
  const { job, error, live, setJob } = useLiveJob(id);
  const [cancelError, setCancelError] = useState<unknown>(null);
  if (error !== null && job === null) return html`<h1><code>${id}</code></h1><${ErrorBox} error=${error} />`;
  if (job === null) return html`<${Loading} />`;

  const cancel = async () => {
    try {
      setJob(await postJson<Job>(`/v1/jobs/${encodeURIComponent(id)}/cancel`, {}));
    } catch (e) {
      setCancelError(e);
    }
  };
  const running = !TERMINAL.has(job.status);
  const output = job.output;
  return html`<div class="job-head">
      <h1><code>${job.id}</code></h1>
      <${Status} status=${job.status} />
      ${running ? html`<button class="danger" onClick=${cancel}>Cancel</button>` : null}
    </div>
    <p class="facts">
      ${[job.model, job.provider, job.source, `created ${new Date(job.created_at).toLocaleString()}`, `took ${duration(job.started_at, job.completed_at)}`].join(" · ")}
      ${job.batch_id === null ? null : html` · batch <a href=${`#/batches/${job.batch_id}`}><code>${job.batch_id}</code></a>`}
      ${live?.reconnecting ? html` · <span class="muted">reconnecting…</span>` : null}
    </p>
    ${cancelError === null ? null : html`<${ErrorBox} error=${cancelError} />`}
    ${error === null ? null : html`<${ErrorBox} error=${error} />`}
    ${job.error === null ? null : html`<p class="error" role="alert"><code>${job.error.type}</code> ${job.error.message}</p>`}
    ${job.incomplete_reason === null ? null : html`<p class="warning">Incomplete: ${job.incomplete_reason}</p>`}
    ${job.warnings.map((w) => html`<p class="warning">${w.message}</p>`)}
    ${
      output === null && live === null
        ? html`<p class="muted">${running ? "Waiting for the first token…" : "No output."}</p>`
        : html`<${Columns}
            reasoning=${output?.reasoning ?? live?.reasoning ?? ""}
            answer=${output?.answer ?? live?.answer ?? ""}
            kind=${output?.reasoning_kind ?? ""}
            live=${output === null}
          />`
    }
    ${output === null ? null : html`<${ThinkingBlocks} blocks=${output.thinking_blocks} />`}
    <${CostBreakdown} usage=${job.usage ?? live?.usage ?? null} cost=${job.cost ?? live?.cost ?? null} />
    <${Attempts} job=${job} />
    <${Conversation} messages=${job.messages ?? []} />
    <${Section} title="Resolved provider parameters"><${Json} value=${job.resolved_params} /><//>
    ${Object.keys(job.metadata).length === 0 ? null : html`<${Section} title="Metadata"><${Json} value=${job.metadata} /><//>`}`;
}
