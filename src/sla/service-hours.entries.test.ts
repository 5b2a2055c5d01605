/** The shipped entries that tell customers the service hours say what the SLA clocks count. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadServiceHours, weekdays } from './service-hours.js';

const knowledgeBase = fileURLToPath(new URL('../../knowledge-base/', import.meta.url));
const clock = (minutes: number) =>
  `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

describe('service hours in the knowledge base', () => {
  it.each(['contact_human.zh', 'contact_human.en', 'business_hours.zh', 'business_hours.en'])(
    '%s states the hours of service-hours.yaml',
    async (entry) => {
      const hours = await loadServiceHours(`${knowledgeBase}service-hours.yaml`);
      const text = await readFile(`${knowledgeBase}faq/${entry}.md`, 'utf8');
      const intervals = new Set(
        weekdays.flatMap((day) =>
          hours.hours[day].map(({ from, to }) => `${clock(from)}-${clock(to)}`),
        ),
      );
      for (const interval of intervals) expect(text).toContain(interval);
      // No claim of one daily span for every day when the weekend hours differ.
      if (intervals.size > 1)
        expect(text).not.toMatch(/每天 ?\d|every day from \d|周末(同样在线|照常服务)/);
      if (hours.holidays.length)
        expect(text).toMatch(/法定节假日休息|off on public holidays|closed on public holidays/);
    },
  );

  it('no policy or entry promises one daily span for every day', async () => {
    const { readdir } = await import('node:fs/promises');
    for (const folder of ['faq', 'policies']) {
      for (const file of await readdir(`${knowledgeBase}${folder}`)) {
        const text = await readFile(`${knowledgeBase}${folder}/${file}`, 'utf8');
        expect(text, `${folder}/${file}`).not.toMatch(
          /每天 ?9:00|every day (from )?9:00|every day 9:00/,
        );
      }
    }
  });
});
