import { html } from "htm/preact";
import type { Job } from "../api.ts";
import { Json, Markdown, Section } from "../components.ts";
import { count, usd } from "../format.ts";

type ThinkingBlock = NonNullable<Job["output"]>["thinking_blocks"][number];

/** Provider thinking blocks as stored, signatures verbatim. */
export function ThinkingBlocks({ blocks }: { blocks: ThinkingBlock[] }) {
  if (blocks.length === 0) return null;
  return html`<${Section} title=${`Thinking blocks (${blocks.length})`}>
    ${blocks.map((block, index) =>
      block.type === "thinking"
        ? html`<details class="block" data-testid="thinking-block">
            <summary>#${index + 1} thinking · ${block.thinking.length} characters${block.signature === undefined ? "" : " · signed"}</summary>
            <pre class="stream">${block.thinking}</pre>
            ${block.signature === undefined ? null : html`<p>signature</p><code class="signature">${block.signature}</code>`}
          </details>`
        : html`<details class="block" data-testid="thinking-block">
            <summary>#${index + 1} redacted thinking</summary>
            <code class="signature">${block.data}</code>
          </details>`,
    )}
  <//>`;
}

/** Tokens × unit price per million = each cost line; the lines add up to the total exactly (server-side decimals). */
export function CostBreakdown({ usage, cost }: { usage: Job["usage"]; cost: Job["cost"] }) {
  if (usage === null) return null;
  const prices = cost?.unit_prices_per_million;
  const uncached = usage.input_tokens - usage.cached_input_tokens - usage.cache_write_tokens;
  const rows: Array<[string, number, string | undefined, string | undefined]> = [
    ["Input (uncached)", uncached, prices?.input, cost?.input],
    ["Cached input", usage.cached_input_tokens, prices?.cached_input, cost?.cached_input],
    ["Cache write", usage.cache_write_tokens, prices?.cache_write, cost?.cache_write],
    ["Reasoning", usage.reasoning_tokens, prices?.reasoning ?? prices?.output, cost?.reasoning],
    ["Answer", usage.answer_tokens, prices?.output, cost?.answer],
  ];
  return html`<${Section} title="Usage and cost">
    <table class="list" data-testid="cost">
      <thead><tr><th>Tokens</th><th class="num">Count</th><th class="num">Unit price / M</th><th class="num">Cost</th></tr></thead>
      <tbody>
        ${rows.map(
          ([label, tokens, price, line]) =>
            html`<tr><td>${label}</td><td class="num">${count(tokens)}</td><td class="num">${usd(price)}</td><td class="num">${usd(line)}</td></tr>`,
        )}
        <tr class="total"><td>Total</td><td class="num">${count(usage.input_tokens + usage.output_tokens)}</td><td></td><td class="num" data-testid="cost-total">${cost === null ? "no public price" : usd(cost.total)}</td></tr>
      </tbody>
    </table>
    <p class="muted">Input ${count(usage.input_tokens)} · output ${count(usage.output_tokens)} (reasoning ${count(usage.reasoning_tokens)} + answer ${count(usage.answer_tokens)}) · price source: ${cost?.price_source ?? "–"}</p>
  <//>`;
}

type Message = NonNullable<Job["messages"]>[number];

/** Any part shape: text is rendered, anything else (images, tool calls, …) shown as data. */
function Part({ part }: { part: unknown }) {
  if (typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string") {
    return html`<${Markdown} text=${(part as { text: string }).text} />`;
  }
  return html`<${Json} value=${part} />`;
}

/** The messages sent, rendered generically: role, then content text or parts, then any other fields. */
export function Conversation({ messages }: { messages: Message[] }) {
  if (messages.length === 0) return null;
  return html`<${Section} title=${`Conversation (${messages.length} messages)`}>
    ${messages.map((message) => {
      const { role, content, ...rest } = message as Message & { content?: unknown };
      return html`<div class=${`message message-${role}`} data-testid="message">
        <div class="role">${role}</div>
        ${typeof content === "string" ? html`<${Markdown} text=${content} />` : Array.isArray(content) ? content.map((part) => html`<${Part} part=${part} />`) : null}
        ${Object.keys(rest).length === 0 ? null : html`<${Json} value=${rest} />`}
      </div>`;
    })}
  <//>`;
}
