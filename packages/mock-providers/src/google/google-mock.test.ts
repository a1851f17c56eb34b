import { ApiError, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { startGoogleMock } from "./google-mock.ts";

// The mock is checked by the official SDK itself: if @google/genai parses what it sends,
// the adapter tests that run through it exercise the real wire format.
let mock: MockServer;
beforeAll(async () => {
  mock = await startGoogleMock({ apiKey: "test-key", retryAfterHeader: true });
});
afterAll(() => mock.close());

function client(apiVersion?: string, apiKey = "test-key") {
  return new GoogleGenAI({
    apiKey,
    vertexai: false,
    ...(apiVersion === undefined ? {} : { apiVersion }),
    httpOptions: { baseUrl: mock.url },
  });
}

const thinking = { includeThoughts: true, thinkingBudget: 2048 };

async function collect(stream: AsyncGenerator<GenerateContentResponse>) {
  const chunks: GenerateContentResponse[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function partsOf(chunks: GenerateContentResponse[]) {
  return chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
}

describe("Gemini mock, driven by @google/genai", () => {
  it("streams thought parts first, then the answer, with cumulative usage (default /v1)", async () => {
    const chunks = await collect(
      await client().models.generateContentStream({
        model: "gemini-2.5-flash",
        contents: "What is 17*23?",
        config: { thinkingConfig: thinking },
      }),
    );
    const request = mock.requests.at(-1);
    expect(request?.path).toBe("/v1/models/gemini-2.5-flash:streamGenerateContent");
    expect(request?.query.get("alt")).toBe("sse");
    expect(request?.headers["x-goog-api-key"]).toBe("test-key");

    const parts = partsOf(chunks);
    const firstAnswer = parts.findIndex((p) => p.thought !== true);
    expect(firstAnswer).toBeGreaterThan(0);
    expect(parts.slice(firstAnswer).every((p) => p.thought !== true)).toBe(true);
    expect(chunks.map((c) => c.text ?? "").join("")).toBe("The answer is 391.");
    expect(parts[firstAnswer]?.thoughtSignature).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const last = chunks.at(-1);
    expect(last?.candidates?.[0]?.finishReason).toBe("STOP");
    expect(chunks.slice(0, -1).every((c) => c.candidates?.[0]?.finishReason === undefined)).toBe(true);
    const usage = last?.usageMetadata;
    expect(usage?.thoughtsTokenCount).toBeGreaterThan(0);
    expect(usage?.totalTokenCount).toBe(
      (usage?.promptTokenCount ?? 0) + (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    );
    const thoughts = chunks.map((c) => c.usageMetadata?.thoughtsTokenCount ?? 0);
    expect(thoughts).toEqual([...thoughts].sort((a, b) => a - b));
  });

  it("frames SSE as Gemini does: data lines only, \\r\\n\\r\\n delimiters, one after the last event", async () => {
    const response = await fetch(
      `${mock.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=test-key`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "What is 1+2?" }] }] }),
      },
    );
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const text = await response.text();
    expect(text.endsWith("\r\n\r\n")).toBe(true);
    const events = text.split("\r\n\r\n").filter((e) => e !== "");
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e) => e.startsWith("data: {") && !e.includes("\n"))).toBe(true);
    expect(text).not.toContain("[DONE]");
  });

  it("answers generateContent under /v1beta with the same content in one candidate", async () => {
    const response = await client("v1beta").models.generateContent({
      model: "gemini-2.5-pro",
      contents: "What is 2+2?",
      config: { thinkingConfig: thinking },
    });
    expect(mock.requests.at(-1)?.path).toBe("/v1beta/models/gemini-2.5-pro:generateContent");
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]?.thought).toBe(true);
    expect(response.text).toBe("The answer is 4.");
    expect(response.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
    expect(response.responseId).toBeTruthy();
  });

  it("puts a 3.x signature on an empty trailing part, and hides thoughts without includeThoughts", async () => {
    const chunks = await collect(
      await client().models.generateContentStream({
        model: "gemini-3.1-pro-preview",
        contents: "Why is the sky blue?",
        config: { thinkingConfig: { thinkingLevel: "LOW" as never } },
      }),
    );
    const parts = partsOf(chunks);
    expect(parts.some((p) => p.thought === true)).toBe(false);
    expect(parts.at(-1)).toEqual({ text: "", thoughtSignature: expect.any(String) });
    expect(chunks.at(-1)?.usageMetadata?.thoughtsTokenCount).toBeGreaterThan(0);
  });

  it("thinks more at a higher budget", async () => {
    const spent = async (thinkingBudget: number) => {
      const r = await client().models.generateContent({
        model: "gemini-2.5-flash",
        contents: "Plan a trip",
        config: { thinkingConfig: { thinkingBudget, includeThoughts: true } },
      });
      return r.usageMetadata?.thoughtsTokenCount ?? 0;
    };
    const [off, low, high] = [await spent(0), await spent(1024), await spent(24576)];
    expect(off).toBe(0);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(low);
  });

  it("reports a repeated long prompt as partly cached", async () => {
    const long = `${"lorem ipsum ".repeat(500)} What is 1+1?`;
    const ask = () => client().models.generateContent({ model: "gemini-2.5-flash", contents: long });
    expect((await ask()).usageMetadata?.cachedContentTokenCount).toBeUndefined();
    const usage = (await ask()).usageMetadata;
    expect(usage?.cachedContentTokenCount).toBeGreaterThan(0);
    expect(usage?.cachedContentTokenCount).toBeLessThanOrEqual(usage?.promptTokenCount ?? 0);
  });

  describe("request validation the real API does", () => {
    const rejects = async (model: string, config: Record<string, unknown>, message: RegExp) => {
      const error = await client()
        .models.generateContent({ model, contents: "hi", config })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).message).toMatch(message);
    };

    it("refuses thinkingBudget together with thinkingLevel", () =>
      rejects("gemini-3.8-flash", { thinkingConfig: { thinkingBudget: 1024, thinkingLevel: "LOW" } }, /one of/));
    it("refuses turning Gemini 2.5 Pro's thinking off", () =>
      rejects("gemini-2.5-pro", { thinkingConfig: { thinkingBudget: 0 } }, /only works in thinking mode/));
    it("refuses a budget out of range", () =>
      rejects("gemini-2.5-flash", { thinkingConfig: { thinkingBudget: 30000 } }, /between 0 and 24576/));
    it("refuses a level the model lacks, with the recorded message", () =>
      rejects("gemini-3.1-pro-preview", { thinkingConfig: { thinkingLevel: "minimal" } }, /Thinking level MINIMAL/));
    it("refuses a thinking level on a 2.5 model", () =>
      rejects("gemini-2.5-flash", { thinkingConfig: { thinkingLevel: "LOW" } }, /not supported/));
    it("refuses maxOutputTokens above the model's limit", () =>
      rejects("gemini-2.5-flash", { maxOutputTokens: 70000 }, /maxOutputTokens value of 70000/));

    it("calls a declared function with a signature on the part, and answers from its response", async () => {
      const tools = [
        {
          functionDeclarations: [
            { name: "lookup", parametersJsonSchema: { type: "object", properties: { q: { type: "string" } } } },
          ],
        },
      ];
      const first = await client().models.generateContent({
        model: "gemini-3.8-flash",
        contents: "Look it up",
        config: { tools },
      });
      const part = first.candidates?.[0]?.content?.parts?.find((p) => p.functionCall !== undefined);
      expect(part?.functionCall).toEqual({ name: "lookup", args: { q: "Look it up" } });
      expect(part?.thoughtSignature).toBeTruthy();
      const answer = await client().models.generateContent({
        model: "gemini-3.8-flash",
        config: { tools },
        contents: [
          { role: "user", parts: [{ text: "Look it up" }] },
          { role: "model", parts: [part ?? {}] },
          { role: "user", parts: [{ functionResponse: { name: "lookup", response: { result: "42" } } }] },
        ],
      });
      expect(answer.text).toBe("The tool returned: 42.");
    });

    it("refuses a replayed function call without its signature on Gemini 3", async () => {
      const error = await client()
        .models.generateContent({
          model: "gemini-3.8-flash",
          contents: [
            { role: "user", parts: [{ text: "list files" }] },
            { role: "model", parts: [{ functionCall: { name: "Bash", args: {} } }] },
            { role: "user", parts: [{ functionResponse: { name: "Bash", response: { out: "a.txt" } } }] },
          ],
        })
        .catch((e: unknown) => e);
      expect((error as ApiError).message).toContain("missing a thought_signature");
    });

    it("answers a wrong key with 400 API_KEY_INVALID and an unknown model with 404", async () => {
      const bad = await client(undefined, "wrong")
        .models.generateContent({ model: "gemini-2.5-flash", contents: "hi" })
        .catch((e: unknown) => e);
      expect((bad as ApiError).status).toBe(400);
      expect((bad as ApiError).message).toContain("API_KEY_INVALID");
      const missing = await client()
        .models.generateContent({ model: "gemini-0-nope", contents: "hi" })
        .catch((e: unknown) => e);
      expect((missing as ApiError).status).toBe(404);
    });
  });

  describe("fault markers", () => {
    it("answers 429 RESOURCE_EXHAUSTED with RetryInfo (and the optional retry-after header)", async () => {
      const error = await client()
        .models.generateContent({ model: "gemini-2.5-flash", contents: "hi [mock:status=429,retry_after=3]" })
        .catch((e: unknown) => e);
      expect((error as ApiError).status).toBe(429);
      const body = JSON.parse((error as ApiError).message) as { error: { status: string; details: unknown[] } };
      expect(body.error.status).toBe("RESOURCE_EXHAUSTED");
      expect(body.error.details).toContainEqual({
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        retryDelay: "3s",
      });
    });

    it("answers 503 UNAVAILABLE", async () => {
      const error = await client()
        .models.generateContentStream({ model: "gemini-2.5-flash", contents: "hi [mock:status=503]" })
        .catch((e: unknown) => e);
      expect((error as ApiError).status).toBe(503);
      expect((error as ApiError).message).toContain("UNAVAILABLE");
    });

    it("sends an error chunk inside a 200 stream, which the SDK throws as ApiError", async () => {
      const stream = await client().models.generateContentStream({
        model: "gemini-2.5-flash",
        contents: "hi [mock:overload_mid_stream]",
        config: { thinkingConfig: thinking },
      });
      const seen: GenerateContentResponse[] = [];
      const error = await (async () => {
        for await (const chunk of stream) seen.push(chunk);
      })().catch((e: unknown) => e);
      expect(seen.length).toBe(1);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(503);
    });

    it("cuts the connection mid-stream", async () => {
      const stream = await client().models.generateContentStream({
        model: "gemini-2.5-flash",
        contents: "hi [mock:cut_mid_stream]",
        config: { thinkingConfig: thinking },
      });
      const error = await collect(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ApiError);
    });

    it("stops with MAX_TOKENS and no answer for finish=length", async () => {
      const chunks = await collect(
        await client().models.generateContentStream({
          model: "gemini-2.5-flash",
          contents: "hi [mock:finish=length]",
          config: { thinkingConfig: thinking },
        }),
      );
      expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
      expect(chunks.map((c) => c.text ?? "").join("")).toBe("");
    });
  });
});
