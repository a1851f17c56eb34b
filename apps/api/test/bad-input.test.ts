import { describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../src/build-app.ts";
import { auth, useHarness } from "./harness.ts";

/** Every bad request gets a 4xx naming the field and the rule; never a 500, never a stack. */
describe("bad input", () => {
  const h = useHarness({ kind: "pglite" });

  const cases: Array<{ name: string; body: unknown; status: number; type: string; field?: string }> = [
    { name: "missing model", body: { prompt: "hi" }, status: 400, type: "invalid_request", field: "model" },
    {
      name: "model of the wrong type",
      body: { model: 7, prompt: "hi" },
      status: 400,
      type: "invalid_request",
      field: "model",
    },
    {
      name: "unknown model",
      body: { model: "nope/never", prompt: "hi" },
      status: 400,
      type: "unknown_model",
      field: "model",
    },
    {
      name: "unknown bare model",
      body: { model: "gpt-17", prompt: "hi" },
      status: 400,
      type: "unknown_model",
      field: "model",
    },
    {
      name: "unknown field",
      body: { model: "sim/reasoner", prompt: "hi", colour: "red" },
      status: 400,
      type: "invalid_request",
      field: "colour",
    },
    {
      name: "neither prompt nor messages",
      body: { model: "sim/reasoner" },
      status: 400,
      type: "invalid_request",
      field: "messages",
    },
    {
      name: "both prompt and messages",
      body: { model: "sim/reasoner", prompt: "a", messages: [{ role: "user", content: "b" }] },
      status: 400,
      type: "invalid_request",
      field: "messages",
    },
    {
      name: "bad message role",
      body: { model: "sim/reasoner", messages: [{ role: "wizard", content: "b" }] },
      status: 400,
      type: "invalid_request",
      field: "messages.0.role",
    },
    {
      name: "bad effort",
      body: { model: "sim/reasoner", prompt: "a", reasoning: { effort: "extreme" } },
      status: 400,
      type: "invalid_request",
      field: "reasoning.effort",
    },
    {
      name: "effort and budget together",
      body: { model: "sim/reasoner", prompt: "a", reasoning: { effort: "low", budget_tokens: 2000 } },
      status: 400,
      type: "invalid_request",
      field: "reasoning",
    },
    {
      name: "negative budget",
      body: { model: "sim/reasoner", prompt: "a", reasoning: { budget_tokens: -1 } },
      status: 400,
      type: "invalid_request",
      field: "reasoning.budget_tokens",
    },
    {
      name: "native thinking without a budget",
      body: { model: "sim/reasoner", prompt: "a", thinking: { type: "enabled" } },
      status: 400,
      type: "invalid_request",
      field: "thinking.budget_tokens",
    },
    {
      name: "max_output_tokens of zero",
      body: { model: "sim/reasoner", prompt: "a", max_output_tokens: 0 },
      status: 400,
      type: "invalid_request",
      field: "max_output_tokens",
    },
    {
      name: "reasoning control on a model that does not reason",
      body: { model: "sim/echo", prompt: "a", reasoning: { effort: "high" } },
      status: 400,
      type: "unsupported_parameter",
    },
    {
      name: "metadata with a non-string value",
      body: { model: "sim/reasoner", prompt: "a", metadata: { n: 1 } },
      status: 400,
      type: "invalid_request",
      field: "metadata.n",
    },
    {
      name: "bad max_cost_usd",
      body: { model: "sim/reasoner", prompt: "a", max_cost_usd: "lots" },
      status: 400,
      type: "invalid_request",
      field: "max_cost_usd",
    },
    { name: "array body", body: [1, 2], status: 400, type: "invalid_request" },
  ];

  it.each(cases)("$name → $status $type", async ({ body, status, type, field }) => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: body as object,
    });
    expect(res.statusCode).toBe(status);
    const error = res.json().error;
    expect(error.type).toBe(type);
    expect(typeof error.message).toBe("string");
    if (field !== undefined) expect(error.field).toBe(field);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: { ...auth(h.keys.a), "content-type": "application/json" },
      payload: '{"model": "sim/reasoner", "prompt": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe("invalid_request");
  });

  it("refuses an oversize body with 413", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: { ...auth(h.keys.a), "content-type": "application/json" },
      payload: JSON.stringify({ model: "sim/reasoner", prompt: "x".repeat(BODY_LIMIT_BYTES + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.type).toBe("payload_too_large");
  });

  it("refuses a non-JSON content type with 415", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: { ...auth(h.keys.a), "content-type": "text/plain" },
      payload: "What is 2+2?",
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.type).toBe("unsupported_media_type");
  });

  it("bounds ?wait= and checks query fields", async () => {
    const wait = await h.app.inject({ method: "GET", url: "/v1/jobs/job_x?wait=61", headers: auth(h.keys.a) });
    expect(wait.statusCode).toBe(400);
    expect(wait.json().error.field).toBe("wait");
    const limit = await h.app.inject({ method: "GET", url: "/v1/jobs?limit=1000", headers: auth(h.keys.a) });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.field).toBe("limit");
    const status = await h.app.inject({ method: "GET", url: "/v1/jobs?status=done", headers: auth(h.keys.a) });
    expect(status.statusCode).toBe(400);
  });

  it("answers unknown ids and routes with 404 in the error shape", async () => {
    const job = await h.app.inject({
      method: "GET",
      url: "/v1/jobs/job_01JD0000000000000000000000",
      headers: auth(h.keys.a),
    });
    expect(job.statusCode).toBe(404);
    expect(job.json().error.type).toBe("not_found");
    const route = await h.app.inject({ method: "GET", url: "/v1/nothing-here", headers: auth(h.keys.a) });
    expect(route.statusCode).toBe(404);
    expect(route.json().error.type).toBe("not_found");
  });

  it("serves health, readiness and the OpenAPI document", async () => {
    expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await h.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ redis: "ok", database: "ok" });
    const doc = (await h.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/cancel"]),
    );
    expect(doc.components.schemas.JobRequest).toBeDefined();
  });
});
