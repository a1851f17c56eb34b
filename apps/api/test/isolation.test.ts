import { waitFor } from "@reasonq/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/**
 * Object-level authorization: every resource one key made answers 404 to another key, on
 * every route that takes its id, and no listing of the other key shows it.
 */
describe("isolation between API keys", () => {
  const h = useHarness({ kind: "pglite" }, { workers: 1 });
  const ids = { job: "", response: "", batch: "", dataset: "" };

  beforeAll(async () => {
    const asA = (method: "POST" | "GET", url: string, payload?: object | string, type?: string) =>
      h.app.inject({
        method,
        url,
        headers: { ...auth(h.keys.a), ...(type === undefined ? {} : { "content-type": type }) },
        ...(payload === undefined ? {} : { payload }),
      });
    const job = await asA("POST", "/v1/jobs", { model: "sim/hasty", prompt: "What is 2+2?" });
    ids.job = job.json<{ id: string }>().id;
    await asA("GET", `/v1/jobs/${ids.job}?wait=30`);
    ids.response = (await asA("POST", "/v1/responses", { model: "sim/hasty", input: "What is 3+3?" })).json<{
      id: string;
    }>().id;
    const dataset = await asA(
      "POST",
      "/v1/datasets?name=private",
      '{"prompt":"What is 4+4?","expected":"8"}\n',
      "application/x-ndjson",
    );
    expect(dataset.statusCode, dataset.body).toBe(201);
    ids.dataset = dataset.json<{ id: string }>().id;
    const batch = await asA("POST", "/v1/batches", {
      name: "private",
      dataset_id: ids.dataset,
      variants: [{ model: "sim/hasty" }],
      scorer: { type: "numeric" },
    });
    expect(batch.statusCode, batch.body).toBe(202);
    ids.batch = batch.json<{ id: string }>().id;
    await waitFor(
      async () => (await asA("GET", `/v1/batches/${ids.batch}`)).json<{ status: string }>().status !== "running",
      { timeoutMs: 30_000, intervalMs: 100, what: "the batch to end" },
    );
  });

  const asB = (method: "GET" | "POST" | "DELETE", url: string, payload?: object) =>
    h.app.inject({ method, url, headers: auth(h.keys.b), ...(payload === undefined ? {} : { payload }) });

  it.each([
    ["GET", "/v1/jobs/{job}"],
    ["GET", "/v1/jobs/{job}/events"],
    ["POST", "/v1/jobs/{job}/cancel"],
    ["GET", "/v1/responses/{response}"],
    ["GET", "/v1/responses/{response}?stream=true"],
    ["GET", "/v1/responses/{response}/input_items"],
    ["POST", "/v1/responses/{response}/cancel"],
    ["DELETE", "/v1/responses/{response}"],
    ["GET", "/v1/batches/{batch}"],
    ["GET", "/v1/batches/{batch}/results"],
    ["GET", "/v1/batches/{batch}/report"],
    ["POST", "/v1/batches/{batch}/cancel"],
  ] as const)("%s %s answers 404 to another key", async (method, template) => {
    const url = template.replace(/\{(\w+)\}/, (_, name: keyof typeof ids) => ids[name]);
    const answer = await asB(method, url);
    expect(answer.statusCode, answer.body).toBe(404);
    // The 404 may name the id it was asked for, and nothing else of the other key's.
    for (const id of Object.values(ids)) if (!url.includes(id)) expect(answer.body).not.toContain(id);
  });

  it("answers 404 to another key's dataset as a batch source", async () => {
    const answer = await asB("POST", "/v1/batches", {
      name: "borrowed",
      dataset_id: ids.dataset,
      variants: [{ model: "sim/hasty" }],
      scorer: { type: "numeric" },
    });
    expect(answer.statusCode, answer.body).toBe(404);
  });

  it("shows none of the other key's resources in any listing or report", async () => {
    for (const url of ["/v1/jobs?limit=100", "/v1/batches", "/v1/usage?group_by=model"]) {
      const answer = await asB("GET", url);
      expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
      for (const id of Object.values(ids)) expect(answer.body, url).not.toContain(id);
    }
    const usage = (await asB("GET", "/v1/usage?group_by=model")).json<{ total: { cost: string } }>();
    expect(usage.total.cost).toBe("0");
  });
});
