import { estimateMaxCost } from "@reasonq/billing";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { auth, MOCK_KEY, useHarness } from "./harness.ts";
import { cappedKey } from "./spend-caps.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const MODEL = "anthropic/claude-sonnet-4-6";
const TEXT = "What is in this image?";
const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city, as a short sentence with the temperature in Celsius",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** Spend-cap admission prices a prompt's images and tool definitions, not only its text. */
describe("the spend cap's pre-flight estimate", () => {
  // No worker runs: admission is decided at submit, so the connection is never called.
  const h = useHarness(
    { kind: "pglite" },
    { connections: { anthropic: { apiKey: MOCK_KEY, baseUrl: "http://127.0.0.1:9" } } },
  );

  /** A key whose cap sits halfway between the text-only maximum and the maximum with `extra`. */
  async function keyBetween(withExtra: string, textOnly: string): Promise<string> {
    const cap = new Decimal(textOnly).plus(withExtra).dividedBy(2).toFixed();
    return (await cappedKey(h, `cap-${Math.random()}`, cap)).key;
  }
  const submit = (key: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: "POST", url: "/v1/jobs", headers: auth(key), payload });
  const maximum = (messages: Parameters<typeof estimateMaxCost>[0]["messages"], tools?: [typeof WEATHER]) =>
    estimateMaxCost({
      modelId: MODEL,
      messages,
      ...(tools === undefined ? {} : { tools }),
      maxOutputTokens: 1000,
      at: new Date(),
    }).maxCost;

  it("refuses an image question whose images would pass the cap, and admits the same text alone", async () => {
    const image = { type: "image" as const, image: { url: `data:image/png;base64,${PNG}` } };
    const parts = [{ type: "text" as const, text: TEXT }, image, image];
    const key = await keyBetween(
      maximum([{ role: "user", content: TEXT, parts }]),
      maximum([{ role: "user", content: TEXT }]),
    );
    const content = [
      { type: "text", text: TEXT },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
    ];
    const refused = await submit(key, { model: MODEL, messages: [{ role: "user", content }], max_output_tokens: 1000 });
    expect(refused.statusCode, refused.body).toBe(402);
    expect(refused.json().error.message).toContain("spend cap");
    const admitted = await submit(key, { model: MODEL, prompt: TEXT, max_output_tokens: 1000 });
    expect(admitted.statusCode, admitted.body).toBe(202);
  });

  it("refuses a question whose tool definitions would pass the cap", async () => {
    const messages = [{ role: "user", content: "Weather in Paris?" }];
    const key = await keyBetween(maximum(messages, [WEATHER]), maximum(messages));
    const refused = await submit(key, { model: MODEL, messages, tools: [WEATHER], max_output_tokens: 1000 });
    expect(refused.statusCode, refused.body).toBe(402);
    const admitted = await submit(key, { model: MODEL, messages, max_output_tokens: 1000 });
    expect(admitted.statusCode, admitted.body).toBe(202);
  });
});
