import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The e2e tests spawn the built binary; keep parallelism modest on 2-core machines.
    maxWorkers: 2,
  },
});
