/** Reads a recorded payload of `__fixtures__/` (tests only). */
import { readFileSync } from 'node:fs';

export function telegramFixture(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}
