import { describe, expect, it } from "vitest";
import { toGeminiContents } from "./convert-google-contents.ts";

const GIF = "R0lGODlhAQABAAAAACw=";

describe("toGeminiContents: images", () => {
  it("sends a gif as Gemini reads it: inline from a data: URL, by reference from a .gif URL", () => {
    const contents = toGeminiContents([
      {
        role: "user",
        content: "q",
        parts: [
          {
            type: "image",
            image: { url: `data:image/gif;base64,${GIF}`, data: { media_type: "image/gif", base64: GIF } },
          },
          { type: "image", image: { url: "https://example.com/cat.GIF" } },
        ],
      },
    ]);
    expect(contents[0]?.parts).toEqual([
      { inlineData: { mimeType: "image/gif", data: GIF } },
      { fileData: { fileUri: "https://example.com/cat.GIF", mimeType: "image/gif" } },
    ]);
  });

  it("refuses a URL whose type it cannot tell, naming the message", () => {
    const untyped = { type: "image" as const, image: { url: "https://example.com/cat" } };
    expect(() => toGeminiContents([{ role: "user", content: "", parts: [untyped] }])).toThrow(
      expect.objectContaining({ field: "messages.0.content" }),
    );
  });
});
