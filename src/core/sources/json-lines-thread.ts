import { Worker } from 'node:worker_threads';
import { type ErrorCode, PaperboyError } from '../errors.js';
import type { LineBatch } from './json-lines.js';

/** What the reading thread is asked to read. */
export interface JsonLinesJob {
  file: string;
  gzip: boolean;
  fetchedAt: string;
  batchSize: number;
}

/** What the reading thread says: a batch, the last batch, or why it stopped. */
export type ReaderMessage =
  | { type: 'batch'; batch: LineBatch }
  | { type: 'done'; batch: LineBatch }
  | { type: 'error'; message: string; code: ErrorCode | null };

// A plain module that registers tsx, then loads json-lines-worker.ts.
const BOOT = new URL('./json-lines-boot.mjs', import.meta.url);

/**
 * The batches of a JSON Lines file, read and parsed on a worker thread while the caller
 * writes the batches before: on a bulk import parsing and SQLite each take about half the
 * time, so the two overlap. Each `next()` tells the reader the previous batch is done with;
 * it reads at most two batches ahead, so memory stays flat however long the file.
 */
export async function* readJsonLinesInWorker(job: JsonLinesJob): AsyncGenerator<LineBatch> {
  const worker = new Worker(BOOT, { workerData: job, execArgv: [] });
  const queue: ReaderMessage[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  worker.on('message', (message: ReaderMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure ??= error;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (!finished)
      failure ??= new Error(`the JSON Lines reader thread stopped (exit code ${code})`);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (!message) throw failure as unknown as Error;
      if (message.type === 'error') {
        throw message.code
          ? new PaperboyError(message.code, message.message)
          : new Error(`${job.file}: ${message.message}`);
      }
      if (message.type === 'done') {
        finished = true;
        yield message.batch;
        return;
      }
      yield message.batch;
      worker.postMessage('taken');
    }
  } finally {
    finished = true;
    await worker.terminate();
  }
}
