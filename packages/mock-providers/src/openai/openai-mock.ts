/**
 * A local stand-in for api.openai.com: `POST /v1/chat/completions` and `POST /v1/responses`,
 * streaming and not, reasoning models only, and the Files + Batch APIs that run them
 * (openai-mock-batch.ts). Point the SDK at `${mock.url}/v1`.
 * Auth is `Authorization: Bearer <key>`; every response carries `x-request-id` and the
 * `x-ratelimit-*` headers. Fault markers (faults.ts) in the last user message pick the
 * failure, in OpenAI's own error format.
 */
import { randomBytes } from "node:crypto";
import { FaultPlan } from "../faults.ts";
import { type MockServer, startMockServer } from "../http.ts";
import { createOpenAIBatchApi } from "./openai-mock-batch.ts";
import { answerChat } from "./openai-mock-chat.ts";
import { lastUserText, toMockMessages } from "./openai-mock-content.ts";
import { failure, faultFailure, rateLimitHeaders, sendFailure } from "./openai-mock-errors.ts";
import { findMockModel } from "./openai-mock-models.ts";
import { answerResponses } from "./openai-mock-responses.ts";
import { type Body, validateChat, validateResponses } from "./openai-mock-validate.ts";

export interface OpenAIMockOptions {
  port?: number;
  /** When set, any other bearer key gets a 401 (`invalid_api_key`). */
  apiKey?: string;
  /** The silent reasoning phase before the first visible delta (providers.md §1.3). */
  reasoningDelayMs?: number;
}

export async function startOpenAIMock(options: OpenAIMockOptions = {}): Promise<MockServer> {
  const plan = new FaultPlan();
  const cache = new Set<string>();
  const issued = new Map<string, string>();
  let counter = 0;
  const reasoningDelayMs = options.reasoningDelayMs ?? 5;
  const batches = createOpenAIBatchApi();

  const server = await startMockServer(async (request, response) => {
    const requestId = `req_${randomBytes(16).toString("hex")}`;
    const headers = { "x-request-id": requestId, ...rateLimitHeaders() };
    const fail = (f: Parameters<typeof sendFailure>[1]) => sendFailure(response, f, headers);

    const auth = request.headers.authorization;
    const key = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : "";
    if (key === "") {
      return fail(
        failure(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        ),
      );
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return fail(
        failure(
          401,
          `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          { code: "invalid_api_key" },
        ),
      );
    }
    if (await batches.route(request, response, key)) return;
    const route =
      request.method === "POST" && request.path === "/v1/chat/completions"
        ? "chat"
        : request.method === "POST" && request.path === "/v1/responses"
          ? "responses"
          : null;
    if (route === null) return fail(failure(404, `Invalid URL (${request.method} ${request.path})`));

    const body = request.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return fail(
        failure(
          400,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        ),
      );
    }
    const fields = body as Body;
    const model = findMockModel(fields.model);
    if (model === undefined) {
      const name = typeof fields.model === "string" ? fields.model : "";
      return fail(
        failure(404, `The model \`${name}\` does not exist or you do not have access to it.`, {
          code: "model_not_found",
        }),
      );
    }
    const problem = route === "chat" ? validateChat(fields, model) : validateResponses(fields, model);
    if (problem !== undefined) return fail(problem);

    const prompt = lastUserText(toMockMessages(route === "chat" ? fields.messages : fields.input));
    const fault = plan.for(prompt);
    if (fault.status !== undefined) return fail(faultFailure(fault.status, model.id, fault.retryAfterSeconds));

    counter++;
    const suffix = `${counter.toString(16).padStart(8, "0")}${randomBytes(8).toString("hex")}`;
    const context = { model, fault, cache, reasoningDelayMs, headers, issued };
    if (route === "chat") await answerChat(fields, response, { ...context, id: `chatcmpl-${suffix}` });
    else await answerResponses(fields, response, { ...context, id: `resp_${suffix}` });
  }, options.port);
  batches.bind(server.url);
  return server;
}
