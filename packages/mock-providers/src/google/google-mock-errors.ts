/**
 * Gemini's error bodies (shared/providers.md §4.7): `{"error":{"code","message","status","details"}}`
 * with the google.rpc status name beside the HTTP code. Messages the doc quotes are used
 * verbatim; the others are Google's usual texts (marked where the doc calls them UNVERIFIED).
 */
export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

const RPC_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "NOT_IMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const DEFAULT_MESSAGES: Record<string, string> = {
  INVALID_ARGUMENT: "Request contains an invalid argument.",
  UNAUTHENTICATED:
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
  PERMISSION_DENIED: "The caller does not have permission",
  NOT_FOUND: "Requested entity was not found.",
  INTERNAL:
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  // The exact overload text is UNVERIFIED (providers.md §10); this is the one clients report.
  UNAVAILABLE: "The model is overloaded. Please try again later.",
  DEADLINE_EXCEEDED: "The request timed out. Please try again.",
};

export function googleError(code: number, message?: string, details?: unknown[]): GoogleErrorBody {
  const status = RPC_STATUS[code] ?? (code >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION");
  const error: GoogleErrorBody["error"] = {
    code,
    message: message ?? DEFAULT_MESSAGES[status] ?? `Simulated HTTP ${code}.`,
    status,
  };
  if (details !== undefined) error.details = details;
  return { error };
}

export function invalidArgument(message: string): GoogleErrorBody {
  return googleError(400, message);
}

/** The 429 of §4.7: quota violation, help link and the `RetryInfo` wait hint. */
export function resourceExhausted(model: string, retryDelaySeconds: number): GoogleErrorBody {
  return googleError(
    429,
    "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [
          {
            quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
            quotaDimensions: { location: "global", model },
          },
        ],
      },
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        links: [
          {
            description: "Learn more about Gemini API quotas",
            url: "https://ai.google.dev/gemini-api/docs/rate-limits",
          },
        ],
      },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retryDelaySeconds}s` },
    ],
  );
}

/** A wrong key is a 400 on the Gemini API, not a 401 (reason API_KEY_INVALID). */
export function apiKeyInvalid(): GoogleErrorBody {
  return googleError(400, "API key not valid. Please pass a valid API key.", [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com" },
    },
  ]);
}

export function missingKey(): GoogleErrorBody {
  return googleError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
}

export function modelNotFound(model: string, version: string): GoogleErrorBody {
  return googleError(
    404,
    `models/${model} is not found for API version ${version}, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
  );
}
