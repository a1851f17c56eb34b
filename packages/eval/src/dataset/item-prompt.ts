import { type JobRequest, messageText } from "@reasonq/core";
import { type DatasetItem, letter } from "./dataset-item.ts";

type MessageInput = NonNullable<JobRequest["messages"]>[number];

/** How a multiple-choice item's options are shown to the model. */
export function formatChoices(choices: readonly string[]): string {
  const lines = choices.map((choice, i) => `${letter(i)}) ${choice}`);
  return `${lines.join("\n")}\nAnswer with the letter of the correct option.`;
}

/**
 * The `prompt` or `messages` of the job that asks an item: the options of a
 * multiple-choice item are appended, one per line as `A) …`, to the prompt (or the last
 * user message), which is the form the `choice` scorer and the `sim` provider expect.
 */
export function itemPrompt(item: DatasetItem): { prompt: string } | { messages: MessageInput[] } {
  const suffix = item.choices === undefined ? null : formatChoices(item.choices);
  if (item.messages === undefined) {
    const prompt = item.prompt ?? "";
    return { prompt: suffix === null ? prompt : `${prompt}\n${suffix}` };
  }
  if (suffix === null) return { messages: item.messages };
  const messages = [...item.messages];
  const last = messages.findLastIndex((m) => m.role === "user");
  const target = messages[last];
  if (target === undefined) return { messages: [...messages, { role: "user", content: suffix }] };
  const text = messageText(target);
  messages[last] = { role: "user", content: `${text}\n${suffix}` };
  return { messages };
}

/** The prompt as one text, for reports and judges. */
export function itemPromptText(item: DatasetItem): string {
  const asked = itemPrompt(item);
  if ("prompt" in asked) return asked.prompt;
  return asked.messages.map((m) => `${m.role}: ${messageText(m)}`).join("\n\n");
}
