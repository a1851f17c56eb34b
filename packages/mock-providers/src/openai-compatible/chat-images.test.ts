import OpenAI from "openai";
import type { ChatCompletionContentPartImage } from "openai/resources/chat/completions";
import { afterEach, describe, expect, it } from "vitest";
import { startDeepSeekMock } from "../deepseek/deepseek-mock.ts";
import type { MockServer } from "../http.ts";
import { type OpenAICompatibleDialectName, startOpenAICompatibleMock } from "./openai-compatible-mock.ts";

const servers: MockServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function clientFor(dialect: OpenAICompatibleDialectName) {
  const server = await startOpenAICompatibleMock({ dialect, apiKey: "sk-mock" });
  servers.push(server);
  const path = dialect === "openrouter" ? "/api/v1" : "/v1";
  return new OpenAI({ apiKey: "sk-mock", baseURL: `${server.url}${path}`, maxRetries: 0 });
}

const ask = (client: OpenAI, model: string, image: ChatCompletionContentPartImage["image_url"]) =>
  client.chat.completions.create({
    model,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this image?" },
          { type: "image_url", image_url: image },
        ],
      },
    ],
  });

const refusal = (promise: Promise<unknown>) =>
  promise.then(() => undefined).catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);

describe("image_url parts on the OpenAI-compatible mocks", () => {
  it("xai: a Grok 4 model reads an https or base64 png/jpeg image", async () => {
    const client = await clientFor("xai");
    const data = await ask(client, "grok-4", { url: `data:image/png;base64,${PNG}`, detail: "high" });
    expect(data.choices[0]?.finish_reason).toBe("stop");
    const remote = await ask(client, "grok-4", { url: "https://example.com/cat.jpg" });
    expect(remote.choices[0]?.finish_reason).toBe("stop");
  });

  it.each([
    ["a model without vision", "grok-3-mini", `data:image/png;base64,${PNG}`, "does not support image input"],
    ["a gif", "grok-4", "data:image/gif;base64,R0lGODlhAQABAAAAACw=", "Unsupported image type image/gif"],
    ["broken base64", "grok-4", "data:image/png;base64,iVBOR!w0K", "Invalid base64"],
    ["bytes that are not the named type", "grok-4", `data:image/jpeg;base64,${PNG}`, "not a valid image/jpeg"],
    ["a plain http URL", "grok-4", "http://example.com/cat.png", "https URL or a base64 data: URL"],
  ])("xai refuses %s with a 400", async (_case, model, url, message) => {
    const client = await clientFor("xai");
    const error = await refusal(ask(client, model, { url }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error?.message).toContain(message);
  });

  it("xai refuses an unknown detail level", async () => {
    const client = await clientFor("xai");
    const error = await refusal(ask(client, "grok-4", { url: "https://example.com/a.png", detail: "max" as "high" }));
    expect(error?.message).toContain("Invalid image detail");
  });

  it("openrouter: a Claude upstream reads images; a text-only upstream has no endpoint for them", async () => {
    const client = await clientFor("openrouter");
    const data = await ask(client, "anthropic/claude-sonnet-4.5", { url: `data:image/png;base64,${PNG}` });
    expect(data.choices[0]?.finish_reason).toBe("stop");
    const error = await refusal(ask(client, "deepseek/deepseek-r1", { url: `data:image/png;base64,${PNG}` }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error?.message).toContain("No endpoints found that support image input");
  });

  it("self-hosted and DeepSeek servers of text-only models refuse an image part", async () => {
    const vllm = await clientFor("vllm");
    const error = await refusal(ask(vllm, "Qwen/Qwen3-8B", { url: `data:image/png;base64,${PNG}` }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const server = await startDeepSeekMock({ apiKey: "sk-mock" });
    servers.push(server);
    const deepseek = new OpenAI({ apiKey: "sk-mock", baseURL: server.url, maxRetries: 0 });
    const refused = await refusal(ask(deepseek, "deepseek-v4-flash", { url: `data:image/png;base64,${PNG}` }));
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused?.message).toContain("unknown variant `image_url`, expected `text`");
    expect(refused?.message).toContain("messages[0].content[1]");
  });
});
