/**
 * The stages of a service start, as `startService` reports them to whoever shows progress (the
 * `serve` command on a terminal, log lines otherwise). Each stage is also a key of
 * `Service.timings`.
 */
export const startStages = [
  'database',
  'migrate',
  'models',
  'ingest',
  'retrieval',
  'answerability',
] as const;
export type StartStageName = (typeof startStages)[number];

export interface StartStage {
  stage: StartStageName;
  state: 'start' | 'done';
  /** Milliseconds the stage took (on `done`). */
  ms?: number;
  /**
   * What it is doing or did, in a word or a short phrase: `creating`, `opening`, `connecting`
   * or `memory` for the database; `cache` or `trained` for models; the number of migrations
   * applied; the knowledge base's changes.
   */
  detail?: string;
}
