import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Timeouts only catch a hang; they never measure speed. A loaded 2-core machine takes several
    // seconds per child process start, and a test may start several.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.tmp/test-results.json' }]],
    // Most suites wait on fsync, brokers and child processes rather than the CPU, so two workers
    // keep a 2-core machine busy.
    maxWorkers: 2,
  },
});
