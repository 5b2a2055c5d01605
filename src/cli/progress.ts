/**
 * Progress on stderr while the service starts and while documents are ingested. On a terminal:
 * a live line for the stage under way (with the ingestion's counts and the seconds so far) and
 * a line per finished stage; otherwise one concise log line per stage, so a first start that
 * takes half a minute never looks hung, in a terminal or in a container's log. stdout is left
 * to the commands' own output.
 */
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { IngestPhase, IngestProgress } from '../kb/kb.service.js';
import type { StartStage } from '../service-stages.js';

/** The ingestion progress bar on stderr (silent when stderr is not a terminal). */
export function ingestProgressBar() {
  if (!process.stderr.isTTY) return { update: (_progress: IngestProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} {bar} {value}/{total} {file}',
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress: IngestProgress) {
      const payload = { file: progress.file, phase: phaseLabel(progress.phase) };
      if (!started) {
        bar.start(progress.total, progress.done, payload);
        started = true;
      } else {
        bar.setTotal(progress.total);
        bar.update(progress.done, payload);
      }
    },
    stop: () => started && bar.stop(),
  };
}

const phaseLabels: Record<IngestPhase, string> = {
  reading: 'reading',
  embedding: 'fitting the embedder on',
  storing: 'embedding and storing',
  indexing: 'building the vector index',
  learning: 'training the entry model and calibrating retrieval scores',
};
const phaseLabel = (phase: IngestPhase | undefined) => phaseLabels[phase ?? 'reading'];

/** What a stage is doing, said while it runs. */
function runningLabel(event: StartStage): string {
  switch (event.stage) {
    case 'database':
      return (
        {
          creating: 'creating the data folder and its database (first start)',
          connecting: 'connecting to the database',
          memory: 'creating an in-memory database',
        }[event.detail ?? ''] ?? 'opening the database'
      );
    case 'migrate':
      return 'migrating the database';
    case 'models':
      return 'loading the triage models (training them when the model cache has none)';
    case 'ingest':
      return 'syncing the knowledge base';
    case 'retrieval':
      return 'loading the retrieval models';
    case 'answerability':
      return 'loading the answerability model';
  }
}

/** What a stage did, said when it is done. */
export function finishedLabel(event: StartStage): string {
  const detail = event.detail ?? '';
  switch (event.stage) {
    case 'database':
      return detail === 'creating' ? 'database created' : 'database opened';
    case 'migrate':
      return detail && detail !== '0'
        ? `database migrated (${detail} migrations)`
        : 'database schema up to date';
    case 'models':
    case 'answerability': {
      const what = event.stage === 'models' ? 'triage models' : 'answerability model';
      return detail === 'cache'
        ? `${what} loaded from the model cache`
        : `${what} trained (kept in the model cache for the next start)`;
    }
    case 'ingest':
      return `knowledge base: ${detail}`;
    case 'retrieval':
      return 'retrieval models ready';
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Start-up progress for `serve`: pass `stage` as `onStage` and `ingest` as `onIngestProgress`.
 * Without a terminal it logs through `logger` (one info line per stage and ingestion phase).
 */
export function startupProgress(
  options: { stream?: NodeJS.WriteStream; logger?: Logger; now?: () => number } = {},
) {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const live = stream.isTTY === true;
  let current: { label: string; started: number; detail: string } | undefined;
  let lastPhase: IngestPhase | undefined;
  let ticker: NodeJS.Timeout | undefined;

  const render = () => {
    if (!current) return;
    const line = `… ${current.label}${current.detail} (${seconds(now() - current.started)})`;
    // Cut to the terminal's width, so the line is rewritten in place and never wraps.
    const width = stream.columns > 0 ? stream.columns : 80;
    stream.write(`\r\x1b[K${line.slice(0, width - 1)}`);
  };

  const stop = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    if (live && current) stream.write('\r\x1b[K');
    current = undefined;
  };

  return {
    stage(event: StartStage) {
      if (event.state === 'start') {
        current = { label: runningLabel(event), started: now(), detail: '' };
        lastPhase = undefined;
        if (live) {
          render();
          // Long stages (a first start's calibration) still show time passing.
          ticker ??= setInterval(render, 1000);
          ticker.unref();
        }
        return;
      }
      const line = `${finishedLabel(event)} (${seconds(event.ms ?? 0)})`;
      if (live) {
        stream.write(`\r\x1b[K✓ ${line}\n`);
        current = undefined;
      } else {
        options.logger?.info({ stage: event.stage, ms: event.ms }, `start-up: ${line}`);
      }
    },
    ingest(progress: IngestProgress) {
      const phase = progress.phase ?? 'reading';
      if (live) {
        if (!current) return;
        const counts = phase === 'reading' || phase === 'storing';
        current.detail = `: ${phaseLabel(phase)}${counts ? ` ${progress.done}/${progress.total} ${progress.file}` : phase === 'embedding' ? ` ${progress.total} texts` : ''}`;
        render();
      } else if (phase !== lastPhase && phase !== 'reading') {
        options.logger?.info(
          { stage: 'ingest', phase, total: progress.total },
          `start-up: knowledge base: ${phaseLabel(phase)}${phase === 'embedding' ? ` ${progress.total} texts` : phase === 'storing' ? ` ${progress.total} files` : ''}`,
        );
      }
      lastPhase = phase;
    },
    stop,
  };
}
