import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration suites own exclusive system resources (one pcscd, fixed ports); they opt into
    // serial execution through their own file names, everything else runs in parallel.
    fileParallelism: true,
  },
});
