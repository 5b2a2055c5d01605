import { defineConfig } from 'vitest/config';

// Tests that touch the database run twice: on embedded PGlite and through node-postgres
// over the wire (TEST_DB_DRIVER=pg), so both drivers are held to the same suite. Only
// those projects build the database snapshot (src/testing/global-setup.ts).
const databaseTests = ['src/**/*.db.test.ts', 'src/**/*.routes*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'evals/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: databaseTests,
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: databaseTests,
          globalSetup: ['src/testing/global-setup.ts'],
          env: { TEST_DB_DRIVER: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: databaseTests,
          globalSetup: ['src/testing/global-setup.ts'],
          env: { TEST_DB_DRIVER: 'pg' },
        },
      },
    ],
  },
});
