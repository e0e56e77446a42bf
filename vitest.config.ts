import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Native segmenters and child-process CLI tests are heavy; two cores on CI.
    pool: 'forks',
    maxWorkers: 2,
  },
});
