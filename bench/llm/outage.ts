/**
 * LLM outage benchmark: the service (embedded database, shipped knowledge base, MODEL_PROVIDER
 * openai so every message asks the LLM) points at an OpenAI-compatible address that accepts
 * connections and never answers, with the default 20 s timeout and 2 retries. Messages go
 * through the intake as a channel would send them. A first burst of 4 waits for the timeout
 * (the outage is not known yet); the circuit breaker then opens, and the benchmark reports how
 * fast the next burst is handed off without asking.
 * Usage: npx tsx bench/llm/outage.ts [messages after the breaker opened=20]
 */
import { createServer } from 'node:net';
import { parseConfig } from '../../src/config/env.js';
import { startService } from '../../src/service.js';

const count = Number(process.argv[2] ?? 20);

// Accepts and holds every connection: the provider is down in the slowest way (no refusal).
const sockets = new Set<import('node:net').Socket>();
const hanging = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => undefined);
});
await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
const { port } = hanging.address() as { port: number };

const config = parseConfig({
  DATA_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  ADMIN_PASSWORD: 'bench-password-1',
  MODEL_PROVIDER: 'openai',
  OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
  OPENAI_API_KEY: 'bench',
  OPENAI_CHAT_MODEL: 'bench-model',
});
const service = await startService(config);
console.error(
  `service up; LLM timeout ${config.OPENAI_TIMEOUT_MS} ms, breaker after ${config.OPENAI_BREAKER_FAILURES} failures`,
);

const texts = [
  '我的快递三天了还没到',
  '怎么开发票',
  'How long does a refund take?',
  '优惠券用不了',
];
let sequence = 0;

/** Sends `n` messages at once through the intake; seconds from sending to each hand-off. */
async function burst(n: number): Promise<number[]> {
  const started = performance.now();
  const received = await Promise.all(
    Array.from({ length: n }, () => {
      const id = sequence++;
      return service.intake.receive({
        channel: 'outage',
        externalMessageId: `outage-${id}`,
        conversationId: `outage-conv-${id}`,
        customer: { id: `outage-customer-${id}` },
        text: texts[id % texts.length]!,
      });
    }),
  );
  const ids = received.map((result) =>
    result.status === 'queued' ? result.accepted.messageId : result.outcome.messageId,
  );
  const doneAt = new Map<string, number>();
  while (doneAt.size < ids.length) {
    const rows = await service.database.db
      .selectFrom('triage_results')
      .select('message_id')
      .where('message_id', 'in', ids)
      .execute();
    for (const row of rows)
      if (!doneAt.has(row.message_id)) doneAt.set(row.message_id, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return ids.map((id) => Number((doneAt.get(id)! / 1000).toFixed(2))).sort((a, b) => a - b);
}

// The outage is not known yet: the first messages wait for the timeout (and retries).
const first = await burst(4);
// The breaker is open now: these are handed off without asking.
const after = await burst(count);
// And one at a time, as a quiet hour would send them.
const single: number[] = [];
for (let n = 0; n < 10; n++) single.push(...(await burst(1)));
single.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      firstMessagesSeconds: first,
      afterBreakerOpened: {
        messages: count,
        p50Seconds: after[Math.floor(after.length / 2)],
        maxSeconds: after.at(-1),
      },
      oneAtATimeAfterBreakerOpened: {
        messages: 10,
        p50Seconds: single[5],
        maxSeconds: single.at(-1),
      },
    },
    null,
    2,
  ),
);
await service.close();
for (const socket of sockets) socket.destroy();
hanging.close();
