import { describe, expect, it } from "vitest";
import { ReasonqError } from "../errors/reasonq-error.ts";
import { SecretRedactor } from "./secret-redactor.ts";

const KEY = "Qx7vTplm3Zr9-KeyWithoutPrefix-wQzK";

describe("SecretRedactor", () => {
  const redactor = new SecretRedactor([KEY, "sk-proj-AbCdEfGhIjKlMnOp", undefined, "short"]);

  it("removes a key without a known prefix, whole or inside other text", () => {
    expect(redactor.redact(`bad key ${KEY}.`)).toBe("bad key [redacted].");
    expect(redactor.redact(`x=${KEY}&y=1`)).toBe("x=[redacted]&y=1");
  });

  it("removes masked echoes and fragments of a key", () => {
    expect(redactor.redact("Incorrect API key provided: Qx7***wQzK. See docs")).toBe(
      "Incorrect API key provided: [redacted]. See docs",
    );
    expect(redactor.redact("key sk-proj-****MnOp is invalid")).toBe("key [redacted] is invalid");
    expect(redactor.redact("key ending …wQzK")).toBe("key ending [redacted]");
    expect(redactor.redact("prefix Qx7vTplm3Zr9 leaked")).toBe("prefix [redacted] leaked");
  });

  it("leaves ordinary text alone", () => {
    const text = "model gpt-4o not found; see https://platform.openai.com/account/api-keys (short)";
    expect(redactor.redact(text)).toBe(text);
  });

  it("redacts an error's message and drops its cause", () => {
    const error = new ReasonqError("provider_auth", `openai returned 401: ${KEY}`, {
      providerStatus: 401,
      cause: new Error(KEY),
    });
    const clean = redactor.redactError(error);
    expect(clean.message).toBe("openai returned 401: [redacted]");
    expect(clean.cause).toBeUndefined();
    expect(clean.providerStatus).toBe(401);
    expect(clean.stack).not.toContain(KEY);
  });
});
