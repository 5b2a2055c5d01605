/**
 * Embedder over an OpenAI-compatible /embeddings endpoint: batches, asks for floats (the SDK
 * would otherwise ask for base64), still decodes base64 from servers that send it anyway,
 * and checks every vector's length against the declared dimension.
 */
import type OpenAI from 'openai';
import type { Embedder } from '../ports.js';
import { ModelProviderError, toModelProviderError } from './errors.js';
import {
  createOpenAiClient,
  defaultProviderRuntime,
  resolveProviderOptions,
  retryPolicyOf,
  type OpenAiProviderOptions,
  type ProviderRuntime,
  type ResolvedProviderOptions,
} from './options.js';
import { runWithRetries } from './retry.js';

/** Native vector lengths of models whose dimension need not be configured. */
const knownEmbeddingDimensions: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly dimension: number;
  readonly #options: ResolvedProviderOptions;
  readonly #client: OpenAI;
  readonly #runtime: ProviderRuntime;

  constructor(options: OpenAiProviderOptions, runtime: ProviderRuntime = defaultProviderRuntime) {
    this.#options = resolveProviderOptions(options);
    const model = this.#options.embeddingModel;
    if (!model)
      throw new Error('OpenAiEmbedder needs embeddingModel (e.g. text-embedding-3-small).');
    const dimension = this.#options.embeddingDimension ?? knownEmbeddingDimensions[model];
    if (dimension === undefined) {
      throw new Error(
        `Unknown vector length for embedding model ${model}: set embeddingDimension.`,
      );
    }
    this.model = model;
    this.dimension = dimension;
    this.#client = createOpenAiClient(this.#options);
    this.#runtime = runtime;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const empty = texts.findIndex((text) => text.trim() === '');
    if (empty !== -1) {
      // OpenAI rejects empty input with a 400 that names no text; say which one here.
      throw new ModelProviderError('bad_request', `Text ${empty} to embed is empty.`, {
        retryable: false,
      });
    }
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.#options.embeddingBatchSize) {
      const batch = texts.slice(start, start + this.#options.embeddingBatchSize);
      vectors.push(
        ...(await runWithRetries(
          () => this.#embedBatch(batch),
          retryPolicyOf(this.#options),
          this.#runtime,
        )),
      );
    }
    return vectors;
  }

  async #embedBatch(batch: string[]): Promise<number[][]> {
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await this.#client.embeddings.create(
        {
          model: this.model,
          input: batch,
          encoding_format: 'float',
          ...(this.#options.requestEmbeddingDimensions ? { dimensions: this.dimension } : {}),
        },
        { timeout: this.#options.timeoutMs },
      );
    } catch (error) {
      throw toModelProviderError(error);
    }
    const data = Array.isArray(response.data) ? [...response.data] : [];
    if (data.length !== batch.length) {
      throw badOutput(`the server returned ${data.length} vectors for ${batch.length} texts`);
    }
    // Servers may answer out of order; `index` is the position in the request.
    data.sort((left, right) => (left.index ?? 0) - (right.index ?? 0));
    return data.map((item) => {
      const vector = decodeEmbedding(item.embedding as unknown);
      if (vector.length !== this.dimension) {
        throw badOutput(
          `a vector has ${vector.length} dimensions, expected ${this.dimension} (embeddingDimension)`,
        );
      }
      return vector;
    });
  }
}

/** Accepts a float array, or base64 of little-endian float32 (what servers send for encoding_format base64). */
export function decodeEmbedding(embedding: unknown): number[] {
  if (
    Array.isArray(embedding) &&
    embedding.every((value) => typeof value === 'number' && Number.isFinite(value))
  ) {
    return embedding;
  }
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length % 4 !== 0)
      throw badOutput('a base64 embedding is not a whole number of float32 values');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: bytes.length / 4 }, (_unused, index) =>
      view.getFloat32(index * 4, true),
    );
  }
  throw badOutput('an embedding is neither a list of numbers nor base64');
}

function badOutput(detail: string): ModelProviderError {
  return new ModelProviderError('bad_output', `Unusable embeddings response: ${detail}.`, {
    retryable: false,
  });
}
