import { generateText, jsonSchema, type LanguageModel, type ModelMessage, tool } from "ai";

type ProviderOptions = Parameters<typeof generateText>[0]["providerOptions"];

/**
 * The weather question in two steps through the AI SDK, as its users write a tool loop: a
 * tool call, then the tool's result sent back after `first.response.messages`.
 */
export async function weatherToolLoop(model: LanguageModel, providerOptions: ProviderOptions) {
  const calls: unknown[] = [];
  const tools = {
    get_weather: tool({
      description: "The weather in a city",
      inputSchema: jsonSchema<{ city: string }>({
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      }),
      execute: async (input) => {
        calls.push(input);
        return "18°C and sunny";
      },
    }),
  };
  const question: ModelMessage[] = [{ role: "user", content: "What is the weather in Paris?" }];
  const first = await generateText({ model, tools, messages: question, providerOptions });
  const second = await generateText({
    model,
    tools,
    messages: [...question, ...first.response.messages],
    providerOptions,
  });
  return { first, second, calls };
}
