import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Names the store the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL).
    globalSetup: ['test/global-setup.ts'],
    // Native better-sqlite3 and child server processes: separate processes keep them apart.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
