/** The README's KPI table says exactly what the API returns next to each figure. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultKpiWindows, kpiDefinitions } from './kpi-definitions.js';
import { kpiKeys } from './kpi-contract.js';

describe('README KPI section', () => {
  it('lists every figure with its definition at the default windows', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const definitions = kpiDefinitions(defaultKpiWindows);
    for (const key of [...kpiKeys, 'handoffReasons', 'csatDistribution', 'daily'] as const)
      expect(readme, key).toContain(`| \`${key}\` | ${definitions[key]} |`);
  });
});
