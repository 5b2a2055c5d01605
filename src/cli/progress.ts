/** The ingestion progress bar on stderr (silent when stderr is not a terminal). */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../kb/kb.service.js';

export function ingestProgressBar() {
  if (!process.stderr.isTTY) return { update: (_progress: IngestProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: 'ingesting {bar} {value}/{total} {file}',
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress: IngestProgress) {
      if (!started) {
        bar.start(progress.total, progress.done, { file: progress.file });
        started = true;
      } else bar.update(progress.done, { file: progress.file });
    },
    stop: () => started && bar.stop(),
  };
}
