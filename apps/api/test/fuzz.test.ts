import { appendFileSync } from "node:fs";
import type { Job } from "@reasonq/core";
import { postgresOptions } from "@reasonq/testkit";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/**
 * SPEC §8: every input is validated; bad input gets a 4xx in the error shape, never a 500,
 * never a hang. Generated and mutated bodies, query strings and headers go to every
 * endpoint, on PostgreSQL (the database that refuses NULs and unpaired surrogates); the
 * process must be healthy afterwards. FUZZ_RUNS sets how many inputs (CI: the default).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const HANG_MS = 10_000;

const edgeStrings = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\udc00y",
  "😀",
  "\u202e",
  "\ufeff",
  "\u200b",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e999",
  "__proto__",
  "constructor",
  "job_00000000000000000000000000",
  "batch_ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
  "../../etc/passwd",
  "%00",
  "' or 1=1 --",
  "sim/hasty",
  "x".repeat(20_000),
);
const anyChar = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const strings = fc.oneof(edgeStrings, fc.string({ unit: anyChar, maxLength: 40 }), fc.string({ maxLength: 20 }));
const numbers = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 0.5),
);
const keys = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "model",
    "prompt",
    "messages",
    "reasoning",
    "metadata",
    "max_output_tokens",
    "max_cost_usd",
    "stream",
    "role",
    "content",
    "effort",
    "budget_tokens",
    "items",
    "variants",
    "repeats",
    "name",
    "format",
    "request",
    "response",
    "tools",
    "tool_choice",
    "tool_calls",
    "tool_call_id",
    "function",
    "arguments",
    "parameters",
    "type",
    "text",
    "image_url",
    "url",
    "lane",
    "webhook_url",
    "dataset_id",
  ),
  strings,
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    strings,
    numbers,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("json"), { maxLength: 4 }),
    fc.dictionary(keys, tie("json"), { maxKeys: 4 }),
  ),
}));

const WEATHER_TOOL = {
  type: "function",
  function: { name: "weather", description: "the weather", parameters: { type: "object", properties: {} } },
};
/** A conversation with content parts and a tool turn answered (what conversations and tools added). */
const TOOL_CONVERSATION = [
  { role: "system", content: "Be brief." },
  {
    role: "user",
    content: [
      { type: "text", text: "What is in this picture, and the weather?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
    ],
  },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }],
  },
  { role: "tool", tool_call_id: "call_1", content: "sunny" },
];

/** [path, body to mutate]; a path may appear more than once with different shapes. */
const TEMPLATES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ["/v1/jobs", { model: "sim/hasty", prompt: "What is 2+2?", reasoning: { effort: "low" }, metadata: { a: "b" } }],
  [
    "/v1/jobs",
    {
      model: "sim/hasty",
      messages: TOOL_CONVERSATION,
      tools: [WEATHER_TOOL],
      tool_choice: "auto",
      lane: "interactive",
    },
  ],
  ["/v1/jobs", { model: "sim/hasty", prompt: "What is 2+2?", lane: "provider_batch" }],
  ["/v1/chat/completions", { model: "sim/hasty", messages: [{ role: "user", content: "What is 2+2?" }] }],
  [
    "/v1/chat/completions",
    { model: "sim/hasty", messages: TOOL_CONVERSATION, tools: [WEATHER_TOOL], tool_choice: "required" },
  ],
  [
    "/v1/batches",
    {
      name: "fuzz",
      items: [{ prompt: "What is 2+2?", expected: "4" }],
      variants: [{ model: "sim/hasty" }],
      scorer: { type: "numeric" },
    },
  ],
  [
    "/v1/batches",
    {
      name: "fuzz",
      items: [{ prompt: "What is 2+2?", expected: "4" }],
      variants: [{ model: "sim/hasty" }],
      scorer: { type: "numeric" },
      lane: "provider_batch",
    },
  ],
  [
    "/v1/logs",
    {
      format: "openai-chat",
      request: { model: "o4-mini", messages: [{ role: "user", content: "hi" }] },
      response: { id: "x", object: "chat.completion", model: "o4-mini", choices: [], usage: {} },
    },
  ],
  [
    "/v1/logs",
    {
      format: "openai-chat",
      request: { model: "o4-mini", messages: TOOL_CONVERSATION, tools: [WEATHER_TOOL] },
      response: { id: "x", object: "chat.completion", model: "o4-mini", choices: [], usage: {} },
    },
  ],
];

type Mutation = { path: string[]; value: unknown } | { path: string[]; remove: true };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ path: fc.array(keys, { minLength: 1, maxLength: 3 }), value: json }),
  fc.record({ path: fc.array(keys, { minLength: 1, maxLength: 2 }), remove: fc.constant(true as const) }),
);

function mutate(template: Record<string, unknown>, mutations: Mutation[]): unknown {
  const copy = structuredClone(template);
  for (const m of mutations) {
    let at: Record<string, unknown> = copy;
    // Own properties only: walking into `__proto__` here would pollute this very process.
    for (const key of m.path.slice(0, -1)) {
      const next = Object.hasOwn(at, key) ? at[key] : undefined;
      const inner = typeof next === "object" && next !== null ? next : {};
      Object.defineProperty(at, key, { value: inner, enumerable: true, writable: true, configurable: true });
      at = inner as Record<string, unknown>;
    }
    const last = m.path.at(-1) as string;
    if ("remove" in m) delete at[last];
    else Object.defineProperty(at, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const deepNesting = fc.integer({ min: 50, max: 5_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);
const rawBodies = fc.oneof(
  json.map((v) => JSON.stringify(v) ?? "null"),
  deepNesting,
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{"model":', "{", "[", '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
);

interface Input {
  method: "GET" | "POST" | "DELETE" | "PUT";
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** Percent-encodes, writing an unpaired surrogate as the bytes a careless client would send. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((c) => (/[\ud800-\udfff]/.test(c) ? "%ED%A0%80" : encodeURIComponent(c))).join("");
  }
}

const idLike = (realId: () => string) =>
  fc.oneof(
    fc.constant(null).map(() => realId()),
    strings.map(enc),
    fc.constant("%00"),
  );
const queryValue = fc.oneof(strings, numbers.map(String)).map(enc);
const queryKeys = fc.constantFrom(
  "wait",
  "include",
  "status",
  "batch_id",
  "model",
  "limit",
  "after",
  "from",
  "to",
  "group_by",
  "name",
  "stream",
  "format",
  "__proto__",
  "x",
);
const query = fc
  .array(fc.tuple(queryKeys, queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`));
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);
const contentType = fc.constantFrom(
  "application/json",
  "application/x-ndjson",
  "text/csv",
  "text/plain",
  "application/octet-stream",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "garbage",
);

function inputs(keyA: string, keyB: string, realJob: () => string, realBatch: () => string): fc.Arbitrary<Input> {
  const authHeader = fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Bearer ${keyA}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${keyB}`) },
    { weight: 1, arbitrary: headerValue },
  );
  const headers = fc
    .record({
      authorization: authHeader,
      "idempotency-key": fc.option(headerValue, { nil: undefined }),
      "last-event-id": fc.option(headerValue, { nil: undefined }),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
  const mutatedPost = fc
    .tuple(fc.constantFrom(...TEMPLATES), fc.array(mutation, { minLength: 1, maxLength: 3 }), headers, query)
    .map(([[path, template], ms, h, q]): Input => {
      const payload = JSON.stringify(mutate(template, ms));
      return { method: "POST", url: `${path}${q}`, headers: { ...h, "content-type": "application/json" }, payload };
    });
  const rawPost = fc
    .tuple(
      fc.constantFrom("/v1/jobs", "/v1/chat/completions", "/v1/batches", "/v1/logs", "/v1/datasets"),
      rawBodies,
      headers,
      contentType,
      query,
    )
    .map(
      ([path, payload, h, type, q]): Input => ({
        method: "POST",
        url: `${path}${q}`,
        headers: { ...h, "content-type": type },
        payload,
      }),
    );
  const truncatedUpload = fc
    .tuple(
      fc.constantFrom("/v1/datasets?name=fuzz", "/v1/logs"),
      fc.array(json, { minLength: 1, maxLength: 5 }),
      fc.nat(),
      headers,
      fc.constantFrom("application/x-ndjson", "text/csv"),
    )
    .map(([url, values, cut, h, type]): Input => {
      const text = values.map((v) => JSON.stringify(v) ?? "").join("\n");
      return {
        method: "POST",
        url,
        headers: { ...h, "content-type": type },
        payload: text.slice(0, cut % (text.length + 1)),
      };
    });
  const reads = fc
    .tuple(
      fc.constantFrom(
        "/v1/jobs/{job}",
        "/v1/jobs",
        "/v1/jobs/{job}/events",
        "/v1/jobs/{job}/cancel",
        "/v1/batches",
        "/v1/batches/{batch}",
        "/v1/batches/{batch}/results",
        "/v1/batches/{batch}/report",
        "/v1/batches/{batch}/cancel",
        "/v1/usage",
        "/v1/models",
        "/v1/models/{job}",
        "/v1/datasets",
        "/healthz",
        "/readyz",
        "/",
        "/index.html",
        "/{job}",
        "/v1/nowhere/{job}",
      ),
      idLike(realJob),
      idLike(realBatch),
      query,
      headers,
      fc.constantFrom("GET", "GET", "POST", "DELETE", "PUT") as fc.Arbitrary<Input["method"]>,
    )
    .map(([template, job, batch, q, h, method]): Input => {
      const url = template.replace("{job}", job).replace("{batch}", batch) + q;
      const post = method !== "GET" && method !== "DELETE";
      return {
        method,
        url,
        headers: post ? { ...h, "content-type": "application/json" } : h,
        ...(post ? { payload: "{}" } : {}),
      };
    });
  return fc.oneof(mutatedPost, rawPost, truncatedUpload, reads, reads);
}

describe("hostile input (fast-check)", () => {
  const h = useHarness(postgresOptions(), { maxWaitSeconds: 1, workers: 1 });
  let finishedJob = "";
  let batchId = "";
  beforeAll(async () => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/hasty", prompt: "What is 2+2?" },
    });
    finishedJob = created.json<Job>().id;
    await h.app.inject({ method: "GET", url: `/v1/jobs/${finishedJob}?wait=1`, headers: auth(h.keys.a) });
    const batch = await h.app.inject({
      method: "POST",
      url: "/v1/batches",
      headers: auth(h.keys.a),
      payload: {
        name: "fuzz",
        items: [{ prompt: "What is 2+2?", expected: "4" }],
        variants: [{ model: "sim/hasty" }],
        scorer: { type: "numeric" },
      },
    });
    expect(batch.statusCode, batch.body).toBeLessThan(300);
    batchId = batch.json<{ id: string }>().id;
  });

  it(`answers ${RUNS} generated requests with a 4xx in the error shape or a success, never a 5xx or a hang`, async () => {
    let tried = 0;
    let serverErrors = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        inputs(
          h.keys.a,
          h.keys.b,
          () => finishedJob,
          () => batchId,
        ),
        async (input) => {
          tried++;
          if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `${JSON.stringify(input)}\n`);
          const answer = await Promise.race([
            h.app.inject(input),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`hang: ${input.method} ${input.url}`)), HANG_MS),
            ),
          ]);
          statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
          if (answer.statusCode >= 500) serverErrors++;
          expect(answer.statusCode, `${input.method} ${input.url}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
          if (answer.statusCode >= 400 && !input.url.includes("/events")) {
            const body = answer.json<{ error?: { type?: unknown; message?: unknown } }>();
            expect(typeof body.error?.type, answer.body.slice(0, 300)).toBe("string");
            expect(typeof body.error?.message).toBe("string");
          }
        },
      ),
      // A fixed seed keeps CI deterministic; FUZZ_SEED explores further.
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261206) },
    );
    console.log(
      `fuzz: ${tried} inputs tried, 5xx = ${serverErrors}; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(tried).toBeGreaterThanOrEqual(RUNS);

    const ready = await h.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    const after = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/hasty", prompt: "What is 2+2?" },
    });
    expect(after.statusCode).toBe(202);
    const done = await h.app.inject({
      method: "GET",
      url: `/v1/jobs/${after.json<Job>().id}?wait=1`,
      headers: auth(h.keys.a),
    });
    expect(done.statusCode).toBe(200);
  }, 600_000);
});
