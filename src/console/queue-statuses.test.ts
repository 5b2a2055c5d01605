import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ticketStatusSchema } from '../tickets/ticket-contract.js';

// The console is browser JavaScript served as is (no build step), so it cannot import the
// zod enum: its list of queue filters is checked against the enum here instead.
describe('console queue filters', () => {
  it('are `active` followed by every ticket status of the API, in order', async () => {
    const source = await readFile(new URL('./public/queue.js', import.meta.url), 'utf8');
    const list = /const statuses = (\[[^\]]*\]);/.exec(source)?.[1];
    expect(list, 'queue.js declares `const statuses = [...]`').toBeDefined();
    const statuses = JSON.parse(list!.replaceAll("'", '"')) as string[];
    expect(statuses).toEqual(['active', ...ticketStatusSchema.options]);
  });
});
