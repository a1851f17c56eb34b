import { html } from "htm/preact";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api.ts";
import { renderMarkdown } from "./markdown.ts";

/** Markdown rendered by markdown-it with raw HTML disabled (see markdown.ts): safe to insert. */
export function Markdown({ text, testid }: { text: string; testid?: string }) {
  return html`<div class="md" data-testid=${testid} dangerouslySetInnerHTML=${{ __html: renderMarkdown(text) }}></div>`;
}

export function Status({ status }: { status: string }) {
  return html`<span class=${`status status-${status}`}>${status}</span>`;
}

export function Json({ value }: { value: unknown }) {
  return html`<pre class="json">${JSON.stringify(value, null, 2)}</pre>`;
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return html`<section class="card"><h2>${title}</h2>${children}</section>`;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 404) return html`<p class="error" role="alert">Not found.</p>`;
  const message = error instanceof Error ? error.message : String(error);
  return html`<p class="error" role="alert">${message}</p>`;
}

export type Loaded<T> = { state: "loading" } | { state: "ok"; value: T } | { state: "error"; error: unknown };

/** Loads once per change of `deps`; a newer load wins over an older one still in flight. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, (value: T) => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  useEffect(() => {
    let current = true;
    setLoaded({ state: "loading" });
    load().then(
      (value) => current && setLoaded({ state: "ok", value }),
      (error: unknown) => current && setLoaded({ state: "error", error }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return [loaded, (value: T) => setLoaded({ state: "ok", value })];
}

export function Loading() {
  return html`<p class="muted">Loading…</p>`;
}
