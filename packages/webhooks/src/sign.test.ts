import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook } from "./sign.ts";

// The receiver's side is the Standard Webhooks reference library, not our own code.
describe("signWebhook", () => {
  const secret = `whsec_${Buffer.from("a-webhook-secret-of-32-bytes!!!!").toString("base64")}`;
  const body = JSON.stringify({ type: "job.ended", data: { id: "job_1", status: "succeeded" } });

  it("signs so that a Standard Webhooks receiver verifies the body", () => {
    const headers = signWebhook(secret, "whd_1", new Date(), body);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("is refused for another body, another secret or an old timestamp", () => {
    const headers = signWebhook(secret, "whd_1", new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace("succeeded", "failed"), { ...headers })).toThrow();
    const other = `whsec_${Buffer.from("another-secret-of-32-bytes!!!!!!").toString("base64")}`;
    expect(() => new Webhook(other).verify(body, { ...headers })).toThrow();
    const old = signWebhook(secret, "whd_1", new Date(Date.now() - 3600_000), body);
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow();
  });
});
