/**
 * Test helper: a real HTTP server on 127.0.0.1 that speaks the two OpenAI endpoints the
 * provider uses (/v1/chat/completions, /v1/embeddings), answers from a per-test script and
 * records every request so tests can assert what was sent. It can also play a provider that
 * only does JSON mode (refusing json_schema as DeepSeek does) and an outage.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body was not JSON). */
  // any: tests dig into arbitrary request JSON.
  body: any;
}

export type FakeAnswer =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  | { status?: number; headers?: Record<string, string>; raw: string };
/** `hang` never answers (until the server closes): for timeouts. */
export type FakeResponse = FakeAnswer | { hang: true };

export type FakeStep = FakeResponse | ((request: RecordedRequest) => FakeResponse);
export type FakeRoute = 'chat' | 'embeddings';

export interface FakeOpenAiServer {
  /** Pass as the provider's baseURL. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Queues answers for a route, used in order; a step given as a function sees the request. */
  enqueue(route: FakeRoute, ...steps: FakeStep[]): void;
  /**
   * Answers every chat request asking for json_schema with `refusal` (DeepSeek's 400 by
   * default) before the script is consulted; `false` stops.
   */
  refuseJsonSchema(refusal?: FakeAnswer | false): void;
  /** `hang`: chat requests never answer; `error`: 503; `false`: the script answers again. Requests are still recorded. */
  outage(mode: 'hang' | 'error' | false): void;
  close(): Promise<void>;
}

const routes: Record<string, FakeRoute> = {
  '/v1/chat/completions': 'chat',
  '/v1/embeddings': 'embeddings',
};

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queues: Record<FakeRoute, FakeStep[]> = { chat: [], embeddings: [] };
  let jsonSchemaRefusal: FakeAnswer | undefined;
  let outage: 'hang' | 'error' | false = false;

  const server = createServer(function handleFakeOpenAiRequest(request, response) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const path = (request.url ?? '').split('?')[0] ?? '';
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path,
        headers: request.headers,
        body,
      };
      requests.push(recorded);
      const route = routes[path];
      if (route === undefined || request.method !== 'POST') {
        return send(response, apiError(404, `fake server: no route ${request.method} ${path}`));
      }
      if (route === 'chat' && outage === 'hang') return;
      if (route === 'chat' && outage === 'error')
        return send(response, apiError(503, 'fake server: service unavailable'));
      const format = route === 'chat' ? responseFormatType(body) : undefined;
      if (format === 'json_schema' && jsonSchemaRefusal) return send(response, jsonSchemaRefusal);
      // As DeepSeek and DashScope do: JSON mode needs the word json somewhere in the messages.
      if (
        format === 'json_object' &&
        !JSON.stringify((body as { messages?: unknown }).messages ?? []).includes('json')
      ) {
        return send(response, dashScopeJsonWordMissing);
      }
      const step = queues[route].shift();
      if (step === undefined) {
        return send(
          response,
          apiError(500, `fake server: nothing scripted for ${path}`, {
            headers: { 'x-should-retry': 'false' },
          }),
        );
      }
      const answer = typeof step === 'function' ? step(recorded) : step;
      if ('hang' in answer) return;
      send(response, answer);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(route, ...steps) {
      queues[route].push(...steps);
    },
    refuseJsonSchema(refusal = deepSeekJsonSchemaRefusal) {
      jsonSchemaRefusal = refusal === false ? undefined : refusal;
    },
    outage(mode) {
      outage = mode;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function responseFormatType(body: unknown): unknown {
  const format = (body as { response_format?: { type?: unknown } } | undefined)?.response_format;
  return typeof format === 'object' && format !== null ? format.type : undefined;
}

function send(response: ServerResponse, answer: FakeAnswer): void {
  const isJson = 'json' in answer;
  response.writeHead(answer.status ?? 200, {
    'content-type': isJson ? 'application/json' : 'text/plain',
    ...answer.headers,
  });
  response.end(isJson ? JSON.stringify(answer.json) : answer.raw);
}

/** A chat completion whose message content is `content` (objects are JSON-encoded). */
export function chatCompletion(
  content: string | object,
  options: {
    model?: string;
    finishReason?: string;
    refusal?: string;
    usage?: { prompt: number; completion: number };
  } = {},
): FakeAnswer {
  const usage = options.usage ?? { prompt: 120, completion: 40 };
  return {
    json: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: options.model ?? 'fake-model',
      choices: [
        {
          index: 0,
          finish_reason: options.finishReason ?? 'stop',
          message: {
            role: 'assistant',
            content: options.refusal
              ? null
              : typeof content === 'string'
                ? content
                : JSON.stringify(content),
            refusal: options.refusal ?? null,
          },
        },
      ],
      usage: {
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        total_tokens: usage.prompt + usage.completion,
      },
    },
  };
}

/** An embeddings response; `base64` encodes each vector as little-endian float32, as OpenAI does. */
export function embeddingsResponse(
  vectors: number[][],
  options: { encoding?: 'float' | 'base64'; model?: string; indices?: number[] } = {},
): FakeAnswer {
  return {
    json: {
      object: 'list',
      model: options.model ?? 'fake-embedding',
      data: vectors.map((vector, position) => ({
        object: 'embedding',
        index: options.indices?.[position] ?? position,
        embedding:
          options.encoding === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector,
      })),
      usage: { prompt_tokens: 8, total_tokens: 8 },
    },
  };
}

/** An error in OpenAI's shape: `{ error: { message, type, code } }`. */
export function apiError(
  status: number,
  message: string,
  options: { code?: string; type?: string; headers?: Record<string, string> } = {},
): FakeAnswer {
  return {
    status,
    ...(options.headers ? { headers: options.headers } : {}),
    json: {
      error: {
        message,
        type: options.type ?? 'fake_error',
        param: null,
        code: options.code ?? null,
      },
    },
  };
}

/** DeepSeek's answer to `response_format: {type: 'json_schema'}` (recorded in public bug reports). */
export const deepSeekJsonSchemaRefusal: FakeAnswer = apiError(
  400,
  'This response_format type is unavailable now',
  {
    type: 'invalid_request_error',
    code: 'invalid_request_error',
    headers: { 'x-request-id': 'req-deepseek-refusal' },
  },
);

/** DeepSeek's deserialiser rejecting the same request with 422 (seen through some SDK paths). */
export const deepSeekJsonSchemaRejected422: FakeAnswer = apiError(
  422,
  'Failed to deserialize the JSON body into the target type: response_format: response_format.type `json_schema` is unavailable now at line 1 column 12440',
  { type: 'invalid_request_error', code: 'invalid_request_error' },
);

/** DashScope's answer to json_object mode when no message contains the word json. */
export const dashScopeJsonWordMissing: FakeAnswer = apiError(
  400,
  "<400> InternalError.Algo.InvalidParameter: 'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
  { type: 'invalid_request_error', code: 'invalid_parameter_error' },
);

/**
 * A schema-valid triage verdict for an invoice question, grounded in `invoice_howto`: the answer
 * the provider tests script, with whatever they change.
 */
export function invoiceVerdict(overrides: Record<string, unknown> = {}): FakeAnswer {
  return chatCompletion({
    category: 'invoice',
    confidence: 0.97,
    outOfScope: false,
    sentiment: 'neutral',
    injectionSuspected: false,
    riskFlags: [],
    citations: ['invoice_howto'],
    reply: '您好！电子发票可以在订单详情页申请。',
    ...overrides,
  });
}
