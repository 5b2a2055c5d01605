/**
 * The one error the OpenAI-compatible provider throws, and the map from SDK and
 * HTTP failures onto its closed set of codes (each saying whether a retry makes sense).
 */
import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';

export const modelProviderErrorCodes = [
  'timeout',
  'rate_limited',
  'server_error',
  'bad_output',
  'auth',
  'bad_request',
  /** Not sent: the circuit breaker is open after repeated failures (see circuit-breaker.ts). */
  'unavailable',
] as const;
export type ModelProviderErrorCode = (typeof modelProviderErrorCodes)[number];

export interface ModelProviderErrorDetails {
  retryable: boolean;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** How long the server asked us to wait (Retry-After / retry-after-ms), when it did. */
  retryAfterMs?: number;
  /** The provider's id of the failed request (x-request-id), for its support desk. */
  requestId?: string;
  /** The provider's own error code or type, e.g. `insufficient_quota`, `invalid_request_error`. */
  providerCode?: string;
  cause?: unknown;
}

export class ModelProviderError extends Error {
  override readonly name = 'ModelProviderError';
  readonly code: ModelProviderErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly providerCode: string | undefined;

  constructor(code: ModelProviderErrorCode, message: string, details: ModelProviderErrorDetails) {
    super(message, { cause: details.cause });
    this.code = code;
    this.retryable = details.retryable;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.providerCode = details.providerCode;
  }
}

/**
 * Whether a failure is a server refusing `response_format: json_schema` (servers that only do
 * JSON mode). DeepSeek answers 400 "This response_format type is unavailable now" (422 "...
 * response_format.type `json_schema` is unavailable now" from its deserialiser); OpenAI's
 * older models 400 "'response_format' of type 'json_schema' is not supported with this model".
 * Only 400/422 naming response_format or json_schema counts, so that an unrelated "not
 * supported" (a parameter, a model) does not switch the mode.
 */
export function isJsonSchemaRefusal(error: ModelProviderError): boolean {
  if (error.code !== 'bad_request' || (error.status !== 400 && error.status !== 422)) return false;
  const cause = error.cause;
  const serverMessage = cause instanceof Error ? cause.message : error.message;
  return /response_format|json_schema/i.test(serverMessage);
}

/** Reads `retry-after-ms` (OpenAI, Azure) or `Retry-After` (seconds or an HTTP date). */
export function parseRetryAfter(
  headers: Headers | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps anything thrown by the SDK (or by our own parsing) onto a ModelProviderError. */
export function toModelProviderError(
  error: unknown,
  context: { structuredOutput?: string } = {},
): ModelProviderError {
  if (error instanceof ModelProviderError) return error;
  if (error instanceof OpenAI.APIUserAbortError) {
    return new ModelProviderError('timeout', 'The call was aborted by the caller.', {
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelProviderError('timeout', 'The model server did not answer within timeoutMs.', {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new ModelProviderError(
      'server_error',
      `Could not reach the model server (${error.message}); check baseURL.`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
  if (error instanceof LengthFinishReasonError) {
    return new ModelProviderError(
      'bad_output',
      'The model stopped at its token limit before finishing the JSON.',
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (error instanceof ContentFilterFinishReasonError) {
    return new ModelProviderError(
      'bad_output',
      "The provider's content filter blocked the answer.",
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (error instanceof OpenAI.APIError) return fromHttpError(error, context);
  if (error instanceof SyntaxError) {
    return new ModelProviderError(
      'bad_output',
      `The model did not answer with valid JSON: ${error.message}`,
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (isZodError(error)) {
    return new ModelProviderError(
      'bad_output',
      `The model's JSON does not match the schema: ${summariseIssues(error.issues)}`,
      {
        retryable: false,
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelProviderError(
    'server_error',
    `Unexpected failure calling the model: ${message}`,
    {
      retryable: false,
      cause: error,
    },
  );
}

function fromHttpError(
  error: InstanceType<typeof OpenAI.APIError>,
  context: { structuredOutput?: string },
): ModelProviderError {
  const status = error.status;
  const retryAfterMs = parseRetryAfter(error.headers);
  const shouldRetryHeader = error.headers?.get('x-should-retry');
  const serverSays =
    shouldRetryHeader === 'true' ? true : shouldRetryHeader === 'false' ? false : undefined;
  const providerCode =
    typeof error.code === 'string'
      ? error.code
      : typeof error.type === 'string'
        ? error.type
        : undefined;
  const details = (retryable: boolean): ModelProviderErrorDetails => ({
    retryable: serverSays ?? retryable,
    status,
    retryAfterMs,
    ...(error.requestID ? { requestId: error.requestID } : {}),
    ...(providerCode ? { providerCode } : {}),
    cause: error,
  });
  const serverMessage = error.message;
  if (status === 401 || status === 403) {
    return new ModelProviderError(
      'auth',
      `The model server refused the API key (${serverMessage}); check apiKey.`,
      details(false),
    );
  }
  if (status === 429) {
    // OpenAI answers 429 both for "slow down" and for "your quota is used up"; only the first passes.
    const quota = error.code === 'insufficient_quota';
    return new ModelProviderError(
      'rate_limited',
      quota
        ? `The account's quota is used up (${serverMessage}).`
        : `Rate limited by the model server (${serverMessage}).`,
      details(!quota),
    );
  }
  if (status === 408)
    return new ModelProviderError(
      'timeout',
      `The model server timed out (${serverMessage}).`,
      details(true),
    );
  if (status === 409 || (status !== undefined && status >= 500)) {
    return new ModelProviderError(
      'server_error',
      `The model server failed (${serverMessage}).`,
      details(true),
    );
  }
  const hint =
    context.structuredOutput === 'json_schema' && status === 400
      ? ' If this server does not support response_format json_schema, set OPENAI_RESPONSE_FORMAT=json_object.'
      : status === 404
        ? ' Check chatModel / embeddingModel and baseURL.'
        : '';
  return new ModelProviderError(
    'bad_request',
    `The model server rejected the request (${serverMessage}).${hint}`,
    details(false),
  );
}

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

function isZodError(error: unknown): error is { issues: IssueLike[] } {
  return (
    error instanceof Error &&
    error.name === 'ZodError' &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** A short, single-line account of what is wrong, fit for an error message and a re-ask. */
export function summariseIssues(issues: readonly IssueLike[]): string {
  return issues
    .slice(0, 6)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
