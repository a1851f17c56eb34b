import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { getJson, type Job, postJson } from "../api.ts";
import { ErrorBox, Loading, useLoad } from "../components.ts";

interface CatalogModel {
  id: string;
  provider: string;
  reasoning: { supported: boolean; field: string | null; kind: string; can_disable: boolean };
  max_output_tokens: number;
  pricing: { unit_prices_per_million: { input: string; output: string } } | null;
  retired: { replacement: string } | null;
}

const EFFORTS = ["minimal", "low", "medium", "high", "xhigh", "max"];

function describe(m: CatalogModel): string {
  const price =
    m.pricing === null
      ? "no public price"
      : `$${m.pricing.unit_prices_per_million.input} / $${m.pricing.unit_prices_per_million.output} per M`;
  return `${m.id} — ${m.reasoning.supported ? `reasoning ${m.reasoning.kind}` : "no reasoning"}, ${price}`;
}

/** Builds a POST /v1/jobs body from the form: the one reasoning control, in whichever form was chosen. */
function requestFrom(form: FormData): Record<string, unknown> {
  const value = (name: string) => String(form.get(name) ?? "").trim();
  const body: Record<string, unknown> = { model: value("model"), prompt: value("prompt") };
  if (value("system") !== "") body.system = value("system");
  const mode = value("reasoning");
  if (mode === "effort") body.reasoning = { effort: value("effort") };
  if (mode === "budget") body.reasoning = { budget_tokens: Number(value("budget")) };
  if (mode === "off") body.reasoning = { enabled: false };
  if (value("max_output_tokens") !== "") body.max_output_tokens = Number(value("max_output_tokens"));
  const tag = value("metadata");
  if (tag !== "") {
    const at = tag.indexOf(":");
    body.metadata = at < 0 ? { tag } : { [tag.slice(0, at)]: tag.slice(at + 1) };
  }
  return body;
}

export function SubmitPage() {
  const [models] = useLoad(() => getJson<{ data: CatalogModel[] }>("/v1/models"), []);
  const [mode, setMode] = useState("default");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (models.state === "loading") return html`<${Loading} />`;
  if (models.state === "error") return html`<${ErrorBox} error=${models.error} />`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const job = await postJson<Job>("/v1/jobs", requestFrom(new FormData(event.target as HTMLFormElement)));
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const choices = models.value.data.filter((m) => m.retired === null);
  return html`<h1>Submit a job</h1>
    <form class="card form" onSubmit=${submit}>
      <label>Model <select name="model" data-testid="model">${choices.map((m) => html`<option value=${m.id} selected=${m.id === "sim/reasoner"}>${describe(m)}</option>`)}</select></label>
      <label>Prompt <textarea name="prompt" rows="6" required></textarea></label>
      <label>System message <input name="system" /></label>
      <fieldset>
        <legend>Reasoning</legend>
        <label>Setting <select name="reasoning" value=${mode} onChange=${(e: Event) => setMode((e.target as HTMLSelectElement).value)}>
          <option value="default">provider default</option>
          <option value="effort">effort</option>
          <option value="budget">budget in tokens</option>
          <option value="off">off</option>
        </select></label>
        ${mode === "effort" ? html`<label>Effort <select name="effort">${EFFORTS.map((e) => html`<option value=${e} selected=${e === "medium"}>${e}</option>`)}</select></label>` : null}
        ${mode === "budget" ? html`<label>Budget <input name="budget" type="number" min="1" value="2000" /></label>` : null}
      </fieldset>
      <label>Max output tokens (reasoning included) <input name="max_output_tokens" type="number" min="1" /></label>
      <label>Metadata <input name="metadata" placeholder="ticket:A-17" /></label>
      <button type="submit" disabled=${busy}>Run</button>
      ${error === null ? null : html`<${ErrorBox} error=${error} />`}
    </form>`;
}
