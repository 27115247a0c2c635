import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.tmp/test-results.json' }]],
    // Most suites wait on fsync, brokers and child processes rather than the CPU, so two workers
    // keep a 2-core machine busy.
    maxWorkers: 2,
  },
});
