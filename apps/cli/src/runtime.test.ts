import { PassThrough } from "node:stream";
import { parseConfig } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "./credentials.ts";
import { createLogger } from "./runtime.ts";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe("the CLI's logger", () => {
  it("writes readable lines for a terminal", async () => {
    const out = capture();
    const logger = await createLogger(parseConfig({}), "reasonq", { pretty: true, destination: out.stream });
    logger.info({ database: "pglite" }, "database ready");
    expect(out.text()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: database ready\n\s+database: "pglite"/);
  });

  it("writes JSON lines otherwise", async () => {
    const out = capture();
    const logger = await createLogger(parseConfig({}), "reasonq", { pretty: false, destination: out.stream });
    logger.info({ database: "pglite" }, "database ready");
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, service: "reasonq", msg: "database ready" });
  });
});

describe("client commands", () => {
  it("default to the same data directory as the server's config", () => {
    expect(DEFAULT_DATA_DIR).toBe(parseConfig({}).REASONQ_DATA_DIR);
  });
});
