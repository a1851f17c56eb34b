import type { Job } from "@reasonq/core";
import { testDatabases } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

describe.each(testDatabases())("the worker sends the request planned at submit, on $name", ({ options }) => {
  const h = useHarness(options);

  const submit = async (prompt: string) => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "sim/echo", prompt, max_output_tokens: 50 },
    });
    expect(res.statusCode, res.body).toBe(202);
    return res.json<Job>().id;
  };
  const finished = async (id: string) =>
    (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(h.keys.a) })).json<Job>();

  it("stores the prepared provider request with the job and runs exactly that, not its spec prepared again", async () => {
    // No worker yet: the jobs wait in the queue while their stored requests are looked at and changed.
    const planned = await submit("what the client asked");
    const legacy = await submit("a job planned before requests were stored");
    const row = await h.store.jobs.get(planned);
    expect(row?.prepared_request).toMatchObject({
      model: { id: "sim/echo", provider: "sim" },
      body: { model: "echo", max_tokens: 50, messages: [{ role: "user", content: "what the client asked" }] },
    });

    // Stands for anything that changes between submit and run (a catalog or adapter update):
    // what runs is what was stored, so the echo repeats the stored body, not the spec.
    const body = { ...row?.prepared_request?.body, messages: [{ role: "user", content: "what was planned" }] };
    await h.store.db
      .updateTable("jobs")
      .set({ prepared_request: JSON.stringify({ ...row?.prepared_request, body }) })
      .where("id", "=", planned)
      .execute();
    await h.store.db.updateTable("jobs").set({ prepared_request: null }).where("id", "=", legacy).execute();

    await h.startWorker();
    expect((await finished(planned)).output?.answer).toBe("what was planned");
    expect((await finished(legacy)).output?.answer).toBe("a job planned before requests were stored");
  });
});
