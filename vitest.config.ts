import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Child-process tests clear DISCORD_*/SLACK_* themselves; nothing here reads the real env.
    pool: 'forks',
    // Vitest's default (CPUs - 1) is one worker on a 2-core machine; many files mostly wait
    // on child processes and PostgreSQL, so two overlap well there.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
