import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { JsonLinesJob } from '../../src/core/json-lines-thread.js';

// The parsing thread may post `ahead` messages of `postEvery` papers before the writer takes
// one: that is what the writer's side holds in memory at most. The doc says "four batches'
// worth" (AHEAD = 4 * POSTS_PER_BATCH messages of an eighth of a batch each). But postEveryOf
// only divides by 8 when the batch size allows: for a batch size with no divisor from 2 to 8
// (a prime such as 2003 or 9973) a message is a whole batch, and 32 whole batches may be
// in flight: 8x the bound. Measured with `npm run ingest` on bench/.cache/corpus-100000.jsonl:
// peak RSS 388 MB with --batch-size 2000, 528 MB with 2003; 612 MB with 10000, 865 MB with 9973
// (the whole 100k-line file may then be parsed ahead).

// Only to read the job the thread is started with; the thread itself is started as usual.
const jobs: JsonLinesJob[] = [];
vi.mock('../../src/core/thread-script.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/thread-script.js')>();
  return {
    ...real,
    startThread: (entry: URL, options: Omit<WorkerOptions, 'eval'> = {}) => {
      jobs.push(options.workerData as JsonLinesJob);
      return real.startThread(entry, options);
    },
  };
});

const { ParsingThread } = await import('../../src/core/json-lines-thread.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-review12c-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('papers the parsing thread may hold ahead of the writer', () => {
  it.each([2000, 1500, 2003, 9973])(
    'are at most four batches whatever the batch size (batch size %i)',
    async (batchSize) => {
      const file = path.join(dir, 'one.jsonl');
      writeFileSync(file, '{}\n');
      const fd = openSync(file, 'r');
      jobs.length = 0;
      const thread = new ParsingThread({
        file,
        fd,
        gzip: false,
        fetchedAt: '2026-10-01T12:00:00.000Z',
        batchSize,
        handOff: 'never',
      });
      try {
        await thread.whenReady();
        const job = jobs[0] as JsonLinesJob;
        expect(job.batchSize).toBe(batchSize);
        // Messages in flight times papers per message: what memory holds before a wait.
        expect(job.ahead * job.postEvery).toBeLessThanOrEqual(4 * batchSize);
      } finally {
        await thread.stop();
        closeSync(fd);
      }
    },
  );
});
