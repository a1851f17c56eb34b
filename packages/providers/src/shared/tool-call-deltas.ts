import type { ProviderEvent } from "@reasonq/core";

type Json = Record<string, unknown>;
const record = (v: unknown): Json | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * Chat Completions tool calls, streamed (`delta.tool_calls[]` fragments that share an
 * `index`: id and name first, the arguments text in pieces) or whole (`message.tool_calls`),
 * folded into complete calls that go out once the response has ended.
 */
export class ToolCallAccumulator {
  readonly #calls = new Map<number, { id: string; name: string; arguments: string }>();

  /** `delta.tool_calls` of one chunk. */
  push(fragments: unknown): void {
    if (!Array.isArray(fragments)) return;
    for (const [position, raw] of fragments.entries()) {
      const fragment = record(raw);
      if (fragment === undefined) continue;
      const index = typeof fragment.index === "number" ? fragment.index : position;
      const call = this.#calls.get(index) ?? { id: "", name: "", arguments: "" };
      const fn = record(fragment.function);
      const id = str(fragment.id);
      if (id !== undefined && id !== "") call.id = id;
      const name = str(fn?.name);
      if (name !== undefined && name !== "") call.name = name;
      call.arguments += str(fn?.arguments) ?? "";
      this.#calls.set(index, call);
    }
  }

  /** `message.tool_calls` of a complete response. */
  pushWhole(calls: unknown): void {
    this.push(Array.isArray(calls) ? calls.map((call, index) => ({ index, ...record(call) })) : calls);
  }

  events(): ProviderEvent[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.name !== "")
      .map(([index, call]) => ({
        type: "tool-call",
        call: {
          id: call.id === "" ? `call_${index}` : call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        },
      }));
  }
}
