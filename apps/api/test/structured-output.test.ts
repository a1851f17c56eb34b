import type { Job } from "@reasonq/core";
import type { MockServer } from "@reasonq/mock-providers";
import OpenAI from "openai";
import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { auth, openAIClient, useHarness } from "./harness.ts";

const Event = z.object({
  name: z.string(),
  attendees: z.array(z.string()),
  day: z.enum(["monday", "friday"]),
  seats: z.number().int(),
});

type Body = Record<string, unknown>;
const lastBody = (mock: MockServer) => mock.requests.at(-1)?.body as Body;

/** response_format / text.format mapped to each family's native structured output, through the SDK's parse helpers. */
describe("structured output", () => {
  const h = useHarness({ kind: "pglite" }, { mocks: { anthropic: {}, google: {}, openai: {} }, workers: 1 });
  let client: OpenAI;
  beforeAll(async () => {
    client = await openAIClient(h);
  });

  const nativeFormat: Record<string, (body: Body) => unknown> = {
    openai: (body) => (body.text as Body | undefined)?.format ?? body.response_format,
    anthropic: (body) => (body.output_config as Body | undefined)?.format,
    google: (body) => body.generationConfig,
  };

  it.each([
    ["openai/gpt-5.2", "openai"],
    ["anthropic/claude-sonnet-4-6", "anthropic"],
    ["google/gemini-2.5-flash", "google"],
  ] as const)("chat.completions.parse() with a zod schema on %s", async (model, family) => {
    const completion = await client.chat.completions.parse({
      model,
      messages: [{ role: "user", content: "Plan the team lunch" }],
      response_format: zodResponseFormat(Event, "event"),
    });
    const parsed = completion.choices[0]?.message.parsed;
    expect(Event.parse(parsed)).toEqual(parsed);
    const sent = nativeFormat[family]?.(lastBody(h.mocks[family]));
    if (family === "google") {
      expect(sent).toMatchObject({ responseMimeType: "application/json", responseJsonSchema: { type: "object" } });
    } else {
      expect(JSON.stringify(sent)).toContain('"attendees"');
    }
  });

  it("responses.parse() with text.format on Claude with thinking", async () => {
    const response = await client.responses.parse({
      model: "anthropic/claude-sonnet-4-6",
      input: "Plan the team lunch",
      reasoning: { effort: "low", summary: "auto" },
      text: { format: zodTextFormat(Event, "event") },
    });
    expect(Event.parse(response.output_parsed)).toEqual(response.output_parsed);
    expect(response.text?.format).toMatchObject({ type: "json_schema", name: "event" });
    expect(lastBody(h.mocks.anthropic)).toMatchObject({
      thinking: { type: expect.any(String) },
      output_config: { format: { type: "json_schema" } },
    });
  });

  it("fails the job with invalid_output when the answer does not match the schema", async () => {
    // The mock fills strings from the question and knows no `pattern`: this answer cannot match.
    const Digits = z.object({ code: z.string().regex(/^[0-9]{6}$/) });
    const failed = await client.chat.completions
      .create({
        model: "google/gemini-2.5-flash",
        messages: [{ role: "user", content: "Give me a code" }],
        response_format: zodResponseFormat(Digits, "code"),
      })
      .withResponse()
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    const error = failed as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toContain("does not match schema code");
    const id = error.headers?.get("x-reasonq-job-id");
    const job = (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) })).json<Job>();
    expect(job).toMatchObject({ status: "failed", error: { type: "invalid_output" } });
    expect(job.cost).not.toBeNull();
  });

  it("refuses structured output where the family has none, naming the field", async () => {
    const refused = await h.app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: auth(h.keys.a),
      payload: {
        model: "sim/reasoner",
        messages: [{ role: "user", content: "hi" }],
        response_format: zodResponseFormat(Event, "event"),
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: { type: "invalid_request_error", code: "unsupported_parameter", param: "response_format" },
    });
    const jobs = (await h.app.inject({ method: "GET", url: "/v1/jobs?limit=100", headers: auth(h.keys.a) })).json<{
      data: Job[];
    }>();
    expect(jobs.data.every((job) => job.model !== "sim/reasoner")).toBe(true);
  });
});
