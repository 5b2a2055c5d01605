import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiEmbedder } from './embedder.js';
import { ModelProviderError } from './errors.js';
import {
  apiError,
  embeddingsResponse,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from './fake-openai-server.js';
import type { OpenAiProviderOptions, ProviderRuntime } from './options.js';

let server: FakeOpenAiServer;
let sleeps: number[];
const runtime: ProviderRuntime = {
  sleep: async (milliseconds) => {
    sleeps.push(milliseconds);
  },
  random: () => 0,
};

function embedder(options: Partial<OpenAiProviderOptions> = {}): OpenAiEmbedder {
  return new OpenAiEmbedder(
    {
      apiKey: 'embed-key',
      baseURL: server.baseURL,
      chatModel: 'unused',
      embeddingModel: 'bge-m3',
      embeddingDimension: 3,
      ...options,
    },
    runtime,
  );
}

/** A distinct vector per text, so order mistakes show. */
function vectorFor(text: string): number[] {
  return [text.length, text.codePointAt(0) ?? 0, 0.5];
}

beforeEach(async () => {
  server = await startFakeOpenAiServer();
  sleeps = [];
});
afterEach(async () => {
  await server.close();
});

describe('OpenAiEmbedder', () => {
  it('asks for floats, in batches, and returns vectors in input order', async () => {
    const texts = ['快递', 'where is my parcel', '退款', 'invoice', '发票'];
    const answerBatch = (request: { body: { input: string[] } }) => {
      // Answer in reverse order with the right indices: the embedder must sort by index.
      const batch = request.body.input;
      const reversed = [...batch].reverse();
      return embeddingsResponse(reversed.map(vectorFor), {
        indices: reversed.map((_text, i) => batch.length - 1 - i),
      });
    };
    server.enqueue('embeddings', answerBatch, answerBatch, answerBatch);

    const vectors = await embedder({ embeddingBatchSize: 2 }).embed(texts);

    expect(vectors).toEqual(texts.map(vectorFor));
    expect(server.requests.map((request) => request.body.input)).toEqual([
      ['快递', 'where is my parcel'],
      ['退款', 'invoice'],
      ['发票'],
    ]);
    const first = server.requests[0]!;
    expect(first.path).toBe('/v1/embeddings');
    expect(first.headers.authorization).toBe('Bearer embed-key');
    expect(first.body.model).toBe('bge-m3');
    expect(first.body.encoding_format).toBe('float');
    expect(first.body).not.toHaveProperty('dimensions');
  });

  it('decodes base64 vectors from servers that send them anyway', async () => {
    server.enqueue('embeddings', embeddingsResponse([[0.25, -1.5, 3]], { encoding: 'base64' }));

    const vectors = await embedder().embed(['hello']);

    expect(vectors).toEqual([[0.25, -1.5, 3]]);
  });

  it('sends dimensions only when asked to', async () => {
    server.enqueue('embeddings', embeddingsResponse([[1, 2, 3]]));

    await embedder({
      embeddingModel: 'text-embedding-3-small',
      requestEmbeddingDimensions: true,
    }).embed(['x']);

    expect(server.requests[0]?.body.dimensions).toBe(3);
  });

  it('rejects vectors of the wrong length as bad_output', async () => {
    server.enqueue('embeddings', embeddingsResponse([[1, 2, 3, 4]]));

    const error = await embedder()
      .embed(['x'])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ code: 'bad_output', retryable: false });
  });

  it('retries a 500 and then succeeds', async () => {
    server.enqueue('embeddings', apiError(500, 'boom'), embeddingsResponse([[1, 2, 3]]));

    const vectors = await embedder({ retryBaseDelayMs: 100 }).embed(['x']);

    expect(vectors).toEqual([[1, 2, 3]]);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([50]);
  });

  it('refuses empty texts without calling the server, and embeds nothing for no texts', async () => {
    const error = await embedder()
      .embed(['ok', '  '])
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'bad_request' });
    expect(await embedder().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('knows the dimension of OpenAI models and demands it for others', () => {
    expect(
      embedder({ embeddingModel: 'text-embedding-3-large', embeddingDimension: undefined })
        .dimension,
    ).toBe(3072);
    expect(() =>
      embedder({ embeddingModel: 'nomic-embed-text', embeddingDimension: undefined }),
    ).toThrow(/set embeddingDimension/);
    expect(() => embedder({ embeddingModel: undefined })).toThrow(/needs embeddingModel/);
  });
});
