import { html } from "htm/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, getJson, session } from "./api.ts";
import { BatchPage } from "./pages/batch.ts";
import { BatchesPage } from "./pages/batches.ts";
import { JobPage } from "./pages/job.ts";
import { JobsPage } from "./pages/jobs.ts";
import { SubmitPage } from "./pages/submit.ts";
import { UsagePage } from "./pages/usage.ts";

/** Hash routes (#/jobs/job_…): the server serves one page, and links survive a reload. */
function useRoute(): string[] {
  const parse = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const onChange = () => setRoute(parse());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const key = String(new FormData(event.target as HTMLFormElement).get("key") ?? "").trim();
    setBusy(true);
    try {
      await getJson("/v1/jobs?limit=1", key);
      session.signIn(key);
      onSignedIn();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? "That key is not valid." : String(e));
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="sign-in">
    <h1>reasonq</h1>
    <form onSubmit=${submit} class="card">
      <label>API key <input name="key" type="password" autocomplete="off" required placeholder="rq_…" /></label>
      <button type="submit" disabled=${busy}>Sign in</button>
      ${error === null ? null : html`<p class="error" role="alert">${error}</p>`}
      <p class="muted">The key stays in this tab (sessionStorage) and is sent only to this server. <code>pnpm reasonq serve</code> prints one and saves it in <code>.reasonq/credentials</code>.</p>
    </form>
  </main>`;
}

function Page({ route }: { route: string[] }) {
  const [area, id] = route;
  if (area === "jobs" && id !== undefined) return html`<${JobPage} id=${id} />`;
  if (area === "batches" && id !== undefined) return html`<${BatchPage} id=${id} />`;
  if (area === "batches") return html`<${BatchesPage} />`;
  if (area === "usage") return html`<${UsagePage} />`;
  if (area === "submit") return html`<${SubmitPage} />`;
  return html`<${JobsPage} />`;
}

function App() {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  useEffect(() => {
    const onSignedOut = () => setSignedIn(false);
    window.addEventListener("reasonq:signed-out", onSignedOut);
    return () => window.removeEventListener("reasonq:signed-out", onSignedOut);
  }, []);
  if (!signedIn) return html`<${SignIn} onSignedIn=${() => setSignedIn(true)} />`;
  const area = route[0] ?? "jobs";
  const link = (target: string, label: string) =>
    html`<a href=${`#/${target}`} class=${area === target ? "active" : ""}>${label}</a>`;
  const signOut = () => {
    session.signOut();
    setSignedIn(false);
  };
  return html`<header class="top">
      <strong class="brand">reasonq</strong>
      <nav>${link("jobs", "Jobs")} ${link("batches", "Batches")} ${link("usage", "Usage")} ${link("submit", "Submit")}</nav>
      <button class="link" onClick=${signOut}>Sign out</button>
    </header>
    <main><${Page} route=${route} /></main>`;
}

const root = document.getElementById("app");
if (root !== null) render(html`<${App} />`, root);
