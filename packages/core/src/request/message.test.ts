import { describe, expect, it } from "vitest";
import { JobRequestSchema, toJobSpec } from "./job-request.ts";
import { MessageSchema } from "./message.ts";

const call = { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } };

describe("MessageSchema", () => {
  it("takes an assistant message exactly as the OpenAI SDK returns it, reasoning fields included", () => {
    const returned = {
      role: "assistant",
      content: null,
      refusal: null,
      annotations: [],
      audio: null,
      function_call: null,
      tool_calls: [call],
      reasoning_content: "thinking",
      thinking_blocks: [{ type: "thinking", thinking: "t", signature: "s", provider: "anthropic" }],
    };
    expect(MessageSchema.safeParse(returned).success).toBe(true);
  });

  it("refuses an unknown field, naming it", () => {
    const parsed = MessageSchema.safeParse({ role: "user", content: "hi", colour: "red" });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("colour");
  });

  it("takes https and base64 data: images, nothing else", () => {
    const image = (url: string) => ({ role: "user", content: [{ type: "image_url", image_url: { url } }] });
    expect(MessageSchema.safeParse(image("https://example.com/a.png")).success).toBe(true);
    expect(MessageSchema.safeParse(image("data:image/png;base64,iVBORw0KGgo=")).success).toBe(true);
    expect(MessageSchema.safeParse(image("http://example.com/a.png")).success).toBe(false);
    expect(MessageSchema.safeParse(image("data:text/html;base64,PGI+")).success).toBe(false);
  });
});

describe("toJobSpec: tool turns", () => {
  const spec = (body: unknown) => toJobSpec(JobRequestSchema.parse(body));

  it("keeps tools, calls, results and the images of a user turn", () => {
    const result = spec({
      model: "m",
      tools: [{ type: "function", function: { name: "lookup" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
          ],
        },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: "call_1", content: "42" },
      ],
    });
    expect(result).toMatchObject({
      tools: [{ function: { name: "lookup" } }],
      messages: [
        {
          role: "user",
          content: "look",
          parts: [{ type: "text" }, { type: "image", image: { data: { media_type: "image/png", base64: "iVBO" } } }],
        },
        { role: "assistant", content: "", tool_calls: [call] },
        { role: "tool", tool_call_id: "call_1", content: "42" },
      ],
    });
  });

  it("refuses a tool result that answers no call, and a tool_choice naming no given tool", () => {
    expect(
      spec({
        model: "m",
        messages: [
          { role: "user", content: "q" },
          { role: "tool", tool_call_id: "x", content: "1" },
        ],
      }),
    ).toMatchObject({ field: "messages.1.tool_call_id" });
    expect(
      spec({
        model: "m",
        messages: [{ role: "user", content: "q" }],
        tools: [{ type: "function", function: { name: "a" } }],
        tool_choice: { type: "function", function: { name: "b" } },
      }),
    ).toMatchObject({ field: "tool_choice" });
  });

  it("takes a tool message's function name (LangChain sends it) only when it is the called function", () => {
    const turns = (name: string) =>
      spec({
        model: "m",
        tools: [{ type: "function", function: { name: "lookup" } }],
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: null, tool_calls: [call] },
          { role: "tool", tool_call_id: "call_1", name, content: "42" },
        ],
      });
    expect(turns("lookup")).toMatchObject({ messages: [{}, {}, { role: "tool", tool_name: "lookup" }] });
    expect(turns("search")).toMatchObject({ field: "messages.2.name" });
  });

  it("turns reasoning_effort none into thinking off, softly", () => {
    expect(spec({ model: "m", prompt: "q", reasoning_effort: "none" })).toMatchObject({
      reasoning: { enabled: false, off_by_effort: true },
    });
  });
});
