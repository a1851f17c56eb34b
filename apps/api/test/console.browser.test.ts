import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Job } from "@reasonq/core";
import { launchChromium, type TestBrowser, waitFor } from "@reasonq/testkit";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useHarness } from "./harness.ts";

const ARTIFACTS = resolve(fileURLToPath(import.meta.url), "../../../../test-artifacts");
const EXAMPLE = fileURLToPath(new URL("../../../examples/arithmetic.jsonl", import.meta.url));

interface BatchBody {
  id: string;
  status: string;
  variants: Array<{ id: string; label: string; n: number; correct: number }>;
}

describe("the web console in headless Chromium", () => {
  const h = useHarness({ kind: "pglite" }, { workers: 1 });
  let base: string;
  let browser: TestBrowser | undefined;
  let batch: BatchBody;

  const api = async <T>(path: string, key: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as T;
  };

  /** A new tab signed in with `key`; `problems` collects its script errors and failed requests. */
  async function signedIn(key: string): Promise<{ page: Page; problems: string[] }> {
    const problems: string[] = [];
    const page = await (browser as TestBrowser).context.newPage();
    page.on("console", (msg) => {
      // A failed load is reported with its URL by the response listener below.
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
        problems.push(`console.error: ${msg.text()}`);
      }
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    await page.goto(`${base}/`);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    return { page, problems };
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    base = await h.listen();
    const items = readFileSync(EXAMPLE, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(0, 24)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const created = await api<BatchBody>("/v1/batches", h.keys.a, {
      name: "arithmetic: reasoner vs hasty",
      items,
      variants: [
        { model: "sim/reasoner", reasoning: { effort: "high" } },
        { model: "sim/hasty", reasoning: { effort: "low" } },
      ],
      scorer: { type: "numeric", tolerance: 0.001 },
    });
    batch = await waitFor(
      async () => {
        const read = await api<BatchBody>(`/v1/batches/${created.id}`, h.keys.a);
        return read.status === "completed" ? read : undefined;
      },
      { timeoutMs: 60_000, what: "the batch to complete" },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs in, submits a job, shows its reasoning arriving live, then reasoning, answer and cost", async () => {
    const { page, problems } = await signedIn(h.keys.a);
    expect(page.url()).not.toContain(h.keys.a);
    expect(await page.evaluate(() => sessionStorage.getItem("reasonq.apiKey"))).toBe(h.keys.a);

    await page.getByRole("link", { name: "Submit" }).click();
    await page.getByTestId("model").selectOption("sim/reasoner");
    await page.getByLabel("Prompt").fill("What is 19*21? [sim:tps=80]");
    await page.getByLabel("Metadata").fill("ticket:A-17");
    await shot(page, "submit");
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForURL(/#\/jobs\/job_/);
    const id = page.url().split("/").at(-1) as string;

    // Live: the reasoning grows while the job is still running.
    const live = page.locator("pre[data-testid=reasoning]");
    await live.waitFor();
    const first = (await live.textContent()) ?? "";
    await expect
      .poll(async () => ((await live.textContent()) ?? "").length, { timeout: 30_000 })
      .toBeGreaterThan(first.length);
    expect(await page.locator(".status").first().textContent()).toBe("running");
    await shot(page, "job-live");

    // Finished: the stored reasoning and answer side by side, usage and the exact cost.
    const answer = page.locator("[data-testid=answer]");
    await expect.poll(() => answer.textContent(), { timeout: 60_000 }).toContain("399");
    const job = await api<Job>(`/v1/jobs/${id}`, h.keys.a);
    expect(job.status).toBe("succeeded");
    expect(await page.locator("div[data-testid=reasoning]").textContent()).toContain("19");
    expect(await page.locator("[data-testid=cost-total]").textContent()).toBe(`$${job.cost?.total}`);
    const costSection = page.locator("section", { hasText: "Usage and cost" });
    expect(await costSection.textContent()).toContain(`price source: ${job.cost?.price_source}`);
    expect(await page.getByText("Resolved provider parameters").count()).toBe(1);
    expect(await page.locator("[data-testid=message]").count()).toBe(1);
    await shot(page, "job");

    await page.getByRole("link", { name: "Jobs" }).click();
    await expect.poll(() => page.locator("[data-testid=jobs-table] tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-testid=jobs-table]").textContent()).toContain(id);
    await shot(page, "jobs");
    const rows = page.locator("[data-testid=jobs-table] tbody tr");
    await page.getByLabel("Metadata").fill("ticket:A-17");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(id)]);
    await page.getByLabel("Metadata").fill("");
    await page.getByLabel("Model").fill("sim/hasty");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => rows.count()).toBe(batch.variants.find((v) => v.label.includes("hasty"))?.n);
    for (const text of await rows.allTextContents()) expect(text).toContain("sim/hasty");
    await page.getByRole("link", { name: "Usage" }).click();
    await page.getByTestId("spend").waitFor();
    expect(await page.getByTestId("spend").textContent()).toContain("no spend cap");
    await shot(page, "usage");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("resumes a dropped live stream after the last event it showed", async () => {
    const { page, problems } = await signedIn(h.keys.a);
    const job = await api<Job>("/v1/jobs", h.keys.a, { model: "sim/reasoner", prompt: "What is 23*17? [sim:tps=40]" });
    let cutAfter: string | undefined;
    const resumedFrom: string[] = [];
    await page.route("**/v1/jobs/*/events", async (route) => {
      if (cutAfter !== undefined) {
        resumedFrom.push(route.request().headers()["last-event-id"] ?? "");
        return route.continue();
      }
      // The first connection carries only the first half of the events, then ends: a drop.
      const response = await route.fetch();
      const events = (await response.text()).split("\n\n").filter((event) => event.includes("data:"));
      const kept = events.slice(0, Math.ceil(events.length / 2));
      cutAfter = /^id: (.+)$/m.exec(kept.at(-1) ?? "")?.[1];
      await route.fulfill({ response, body: `${kept.join("\n\n")}\n\n` });
    });
    await page.goto(`${base}/#/jobs/${job.id}`);
    await expect.poll(() => page.locator("[data-testid=answer]").textContent(), { timeout: 60_000 }).toContain("391");
    expect(cutAfter).toMatch(/^\d+-\d+$/);
    expect(resumedFrom).toEqual([cutAfter]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("cancels a running job from its page, keeping the partial reasoning", async () => {
    const { page, problems } = await signedIn(h.keys.a);
    const job = await api<Job>("/v1/jobs", h.keys.a, { model: "sim/reasoner", prompt: "What is 31*29? [sim:tps=10]" });
    await page.goto(`${base}/#/jobs/${job.id}`);
    await expect
      .poll(async () => ((await page.locator("pre[data-testid=reasoning]").textContent()) ?? "").length, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => page.locator(".job-head .status").textContent(), { timeout: 30_000 }).toBe("cancelled");
    expect(await page.getByRole("button", { name: "Cancel" }).count()).toBe(0);
    expect((await api<Job>(`/v1/jobs/${job.id}`, h.keys.a)).status).toBe("cancelled");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows thinking blocks with their signatures, and renders markdown and code without running the text's HTML", async () => {
    const answerText = [
      "Yes: **Euclid's argument** works.",
      "",
      "```python",
      "print('<b>primes</b>')",
      "```",
      "",
      '<img src="x" onerror="window.__pwned = 1"> and [a link](javascript:alert(1))',
    ].join("\n");
    const logged = await api<{ job: Job }>("/v1/logs", h.keys.a, {
      request: {
        model: "claude-sonnet-4-6",
        max_tokens: 4000,
        thinking: { type: "enabled", budget_tokens: 2000 },
        messages: [{ role: "user", content: "Are there infinitely many primes p ≡ 3 (mod 4)?" }],
      },
      response: {
        id: "msg_console_1",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-6",
        content: [
          {
            type: "thinking",
            thinking: "Suppose finitely many; form 4P−1.",
            signature: "EqQBCkgIARAB-console-signature",
          },
          { type: "text", text: answerText },
        ],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 120, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    });
    const { page, problems } = await signedIn(h.keys.a);
    await page.goto(`${base}/#/jobs/${logged.job.id}`);
    const block = page.getByTestId("thinking-block");
    await block.waitFor();
    await block.locator("summary").click();
    expect(await block.textContent()).toContain("EqQBCkgIARAB-console-signature");
    const answer = page.getByTestId("answer");
    expect(await answer.locator("strong").textContent()).toBe("Euclid's argument");
    expect(await answer.locator("pre code").textContent()).toBe("print('<b>primes</b>')\n");
    expect(await answer.locator("img, b").count()).toBe(0);
    expect(await answer.textContent()).toContain('<img src="x" onerror="window.__pwned = 1">');
    expect(await answer.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await page.evaluate(() => "__pwned" in globalThis)).toBe(false);
    await shot(page, "job-thinking-blocks");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens a batch and goes from a variant to the job of an item it got wrong", async () => {
    const hasty = batch.variants.find((v) => v.label.includes("hasty"));
    expect(hasty).toBeDefined();
    expect(hasty?.correct).toBeLessThan(hasty?.n ?? 0);

    const { page, problems } = await signedIn(h.keys.a);
    await page.getByRole("link", { name: "Batches" }).click();
    await page.getByRole("link", { name: batch.id }).click();
    const variants = page.getByTestId("variants");
    await variants.waitFor();
    expect(await variants.textContent()).toMatch(/\d+\.\d%\s*–\s*\d+\.\d%/);
    const report = page.frameLocator("iframe.report");
    await report.locator("#chart-cost-accuracy[data-drawn=true]").waitFor();
    await report.locator("#chart-accuracy-setting[data-drawn=true]").waitFor();
    await shot(page, "batch");

    await variants.locator("tr", { hasText: "hasty" }).getByRole("button", { name: "wrong answers" }).click();
    const rows = page.getByTestId("results").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe((hasty?.n ?? 0) - (hasty?.correct ?? 0));
    for (const text of await rows.allTextContents()) expect(text).toContain("✗ wrong");
    const link = rows.first().getByRole("link");
    const jobId = (await link.textContent()) as string;
    await link.click();
    await page.getByRole("heading", { name: jobId }).waitFor();
    await page.locator("[data-testid=answer]").waitFor();
    expect(await page.locator(".facts").textContent()).toContain(batch.id);
    await shot(page, "batch-wrong-item");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows another key's job as not found", async () => {
    const theirs = await api<Job>("/v1/jobs", h.keys.a, { model: "sim/echo", prompt: "private" });
    const { page, problems } = await signedIn(h.keys.b);
    await page.goto(`${base}/#/jobs/${theirs.id}`);
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toBe("Not found.");
    await shot(page, "not-found");
    expect(problems).toEqual([`404 ${base}/v1/jobs/${theirs.id}?include=attempts,messages`]);
    await page.close();
  });
});
