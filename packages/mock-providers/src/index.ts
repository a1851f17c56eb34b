export { type AnthropicMockOptions, startAnthropicMock } from "./anthropic/anthropic-mock.ts";
export { type DeepSeekMockOptions, startDeepSeekMock } from "./deepseek/deepseek-mock.ts";
export { FAMILY_MOCKS, type FamilyMock } from "./families.ts";
export { type Fault, FaultPlan, stripFaultMarkers } from "./faults.ts";
export { type GoogleMockOptions, startGoogleMock } from "./google/google-mock.ts";
export { type MockHandler, type MockRequest, type MockServer, sendJson, startMockServer } from "./http.ts";
export { type OpenAIMockOptions, startOpenAIMock } from "./openai/openai-mock.ts";
export {
  type OpenAICompatibleDialectName,
  type OpenAICompatibleMockOptions,
  startOpenAICompatibleMock,
} from "./openai-compatible/openai-compatible-mock.ts";
export { type SseOptions, type SseWriter, startSse } from "./sse.ts";
