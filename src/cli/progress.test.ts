import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startupProgress } from './progress.js';

/** A stand-in for stderr: what was written, and whether it is a terminal. */
function fakeStream(isTTY: boolean) {
  const stream = {
    isTTY,
    columns: 120,
    written: '',
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  };
  return stream;
}

describe('startupProgress', () => {
  it('on a terminal: a live line for the running stage with ingestion counts, a line per finished stage', () => {
    const stream = fakeStream(true);
    let clock = 0;
    const progress = startupProgress({
      stream: stream as unknown as NodeJS.WriteStream,
      now: () => clock,
    });
    progress.stage({ stage: 'database', state: 'start', detail: 'creating' });
    expect(stream.written).toContain('creating the data folder and its database (first start)');
    clock = 3200;
    progress.stage({ stage: 'database', state: 'done', ms: 3200, detail: 'creating' });
    expect(stream.written).toContain('✓ database created (3.2 s)\n');

    progress.stage({ stage: 'ingest', state: 'start' });
    progress.ingest({ phase: 'embedding', done: 0, total: 2892, file: '' });
    expect(stream.written).toContain('fitting the embedder on 2892 texts');
    progress.ingest({ phase: 'storing', done: 3, total: 68, file: 'faq/returns.md' });
    expect(stream.written).toContain('embedding and storing 3/68 faq/returns.md');
    progress.stage({
      stage: 'ingest',
      state: 'done',
      ms: 30_000,
      detail: '68 added, 0 updated, 0 unchanged, 0 removed, 0 failed',
    });
    expect(stream.written).toContain(
      '✓ knowledge base: 68 added, 0 updated, 0 unchanged, 0 removed, 0 failed (30.0 s)\n',
    );
    progress.stage({ stage: 'models', state: 'start' });
    progress.stage({ stage: 'models', state: 'done', ms: 240, detail: 'cache' });
    expect(stream.written).toContain('✓ triage models loaded from the model cache (0.2 s)\n');
    progress.stop();
    // The live line is rewritten in place: a new line only for each finished stage.
    expect(stream.written.match(/\n/g)).toHaveLength(3);
    expect(stream.written).toContain('syncing the knowledge base: fitting the embedder');
  });

  it('without a terminal: one log line per stage and ingestion phase, nothing on the stream', () => {
    const stream = fakeStream(false);
    const lines: string[] = [];
    const logger = pino(
      { base: undefined },
      { write: (line: string) => lines.push(JSON.parse(line).msg) },
    );
    const progress = startupProgress({ stream: stream as unknown as NodeJS.WriteStream, logger });
    progress.stage({ stage: 'database', state: 'start', detail: 'opening' });
    progress.stage({ stage: 'database', state: 'done', ms: 900, detail: 'opening' });
    progress.stage({ stage: 'ingest', state: 'start' });
    for (let done = 0; done < 68; done++)
      progress.ingest({ done, total: 68, file: `faq/${done}.md` });
    for (let done = 0; done < 68; done++)
      progress.ingest({ phase: 'storing', done, total: 68, file: `faq/${done}.md` });
    progress.ingest({ phase: 'learning', done: 0, total: 1, file: '' });
    progress.stage({ stage: 'ingest', state: 'done', ms: 31_000, detail: '68 added' });
    progress.stage({ stage: 'answerability', state: 'done', ms: 1600, detail: 'trained' });
    progress.stop();
    expect(stream.written).toBe('');
    expect(lines).toEqual([
      'start-up: database opened (0.9 s)',
      'start-up: knowledge base: embedding and storing 68 files',
      'start-up: knowledge base: training the entry model and calibrating retrieval scores',
      'start-up: knowledge base: 68 added (31.0 s)',
      'start-up: answerability model trained (kept in the model cache for the next start) (1.6 s)',
    ]);
  });
});
