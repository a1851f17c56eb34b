import type { ChatBody, ChatImageRules, MockError } from "./chat-dialect.ts";

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DETAILS = ["auto", "low", "high"];

/** The first bytes of each image type a vendor may accept. */
const MAGIC: Readonly<Record<string, readonly number[]>> = {
  "image/png": [0x89, 0x50, 0x4e, 0x47],
  "image/jpeg": [0xff, 0xd8, 0xff],
  "image/gif": [0x47, 0x49, 0x46, 0x38],
  "image/webp": [0x52, 0x49, 0x46, 0x46],
};

/**
 * Checks every `image_url` part of the conversation the way the vendor does before it
 * generates anything: an https URL or a base64 `data:` URL of an accepted type whose bytes
 * are that type, within the size limit, with a valid `detail`.
 */
export function checkImageParts(body: ChatBody, rules: ChatImageRules | undefined): MockError | undefined {
  const model = String(body.model);
  for (const [i, message] of (body.messages as ChatBody[]).entries()) {
    if (!Array.isArray(message.content)) continue;
    for (const [j, part] of (message.content as unknown[]).entries()) {
      if ((part as ChatBody | null)?.type !== "image_url") continue;
      const param = `messages[${i}].content[${j}].image_url`;
      if (rules === undefined) return { status: 400, message: `${model} does not support image input`, param };
      if (!rules.vision(model)) return rules.noVision(model, param);
      const refusal = checkImagePart((part as ChatBody).image_url, rules);
      if (refusal !== undefined) return rules.invalid(refusal, param);
    }
  }
  return undefined;
}

function checkImagePart(image: unknown, rules: ChatImageRules): string | undefined {
  if (typeof image !== "object" || image === null || typeof (image as ChatBody).url !== "string") {
    return "image_url must be an object with a string url";
  }
  const { url, detail } = image as { url: string; detail?: unknown };
  if (detail !== undefined && !DETAILS.includes(String(detail))) {
    return `Invalid image detail ${JSON.stringify(detail)}; expected one of ${DETAILS.join(", ")}`;
  }
  if (url.startsWith("https://")) return URL.canParse(url) ? undefined : `Invalid image URL: ${url.slice(0, 80)}`;
  const data = DATA_URL.exec(url);
  if (data === null) return "An image must be an https URL or a base64 data: URL";
  const [, mediaType = "", payload = ""] = data;
  if (!rules.mediaTypes.includes(mediaType)) {
    return `Unsupported image type ${mediaType}; supported: ${rules.mediaTypes.join(", ")}`;
  }
  if (payload === "" || payload.length % 4 !== 0 || !BASE64.test(payload)) return "Invalid base64 image data";
  const bytes = Buffer.from(payload, "base64");
  if (bytes.length > rules.maxBytes) {
    return `Image of ${bytes.length} bytes exceeds the limit of ${rules.maxBytes} bytes`;
  }
  const magic = MAGIC[mediaType] ?? [];
  if (!magic.every((byte, k) => bytes[k] === byte)) return `The image data is not a valid ${mediaType} image`;
  return undefined;
}
