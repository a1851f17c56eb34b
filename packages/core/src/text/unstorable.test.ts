import { describe, expect, it } from "vitest";
import { findUnstorableText } from "./unstorable.ts";

describe("findUnstorableText", () => {
  it("finds a NUL or an unpaired surrogate, in values and keys, with its path", () => {
    expect(findUnstorableText({ a: ["ok", "x\u0000y"] })?.field).toBe("a.1");
    expect(findUnstorableText({ m: { "\ud800": 1 } })?.field).toBe("m");
    expect(findUnstorableText("\udc00")?.message).toMatch(/surrogate/);
    expect(findUnstorableText({ deep: { er: "\u0000" } })?.message).toMatch(/NUL/);
  });
  it("accepts paired surrogates (emoji) and ordinary text", () => {
    expect(findUnstorableText({ text: "😀 café \u200b", n: 1, b: null })).toBeNull();
  });
});
