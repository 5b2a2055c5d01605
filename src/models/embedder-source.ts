/**
 * Chooses the embedder: an OpenAI-compatible one when configured, otherwise the local
 * one, fitted once on the knowledge base and kept in the database so a restart (or
 * another process) embeds queries exactly as the stored chunks were embedded.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { activeModelState, saveActiveModelState } from '../kb/kb.repository.js';
import type { EmbedderSource } from '../kb/kb.service.js';
import {
  fitLocalEmbedder,
  loadLocalEmbedder,
  type SerializedLocalEmbedder,
} from './local/embedder.js';
import type { Embedder } from './ports.js';

const LOCAL_KIND = 'local_embedder';

export function localEmbedderSource(options: { dimension?: number } = {}): EmbedderSource {
  let cached: Embedder | undefined;
  return {
    async current(db: Kysely<Database>, corpus: () => Promise<string[]>) {
      if (cached) return cached;
      const stored = await activeModelState(db, LOCAL_KIND);
      if (stored) {
        const state = (
          typeof stored.state === 'string' ? JSON.parse(stored.state) : stored.state
        ) as SerializedLocalEmbedder;
        cached = loadLocalEmbedder(state);
        return cached;
      }
      const texts = await corpus();
      const fitted = fitLocalEmbedder(texts.length ? texts : ['empty knowledge base'], {
        dimension: options.dimension ?? 256,
      });
      await saveActiveModelState(db, LOCAL_KIND, fitted.model, fitted.toJSON());
      cached = fitted;
      return cached;
    },
  };
}

/** A fixed embedder (OpenAI-compatible): nothing to fit or store. */
export function fixedEmbedderSource(embedder: Embedder): EmbedderSource {
  return { current: async () => embedder };
}
