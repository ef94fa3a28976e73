import { Worker } from 'node:worker_threads';
import { type ErrorCode, PaperboyError } from './errors.js';
import type { JsonLinesOptions, LastBatch, LineBatch } from './json-lines-reader.js';

/** What the parsing thread is asked to read. */
export interface JsonLinesJob extends JsonLinesOptions {
  file: string;
  gzip: boolean;
  /** Batches posted and not yet taken by the writer before the parser waits. */
  ahead: number;
}

/** What the parsing thread says: a batch, the last batch, or why it stopped. */
export type ReaderMessage =
  | { type: 'batch'; batch: LineBatch }
  | { type: 'done'; batch: LastBatch }
  | { type: 'error'; message: string; code: ErrorCode | null };

/**
 * Two batches ahead keep both threads busy (one posted while the writer commits the one
 * before); more would only hold more papers in memory.
 */
const AHEAD = 2;

// A plain-JS entry that loads the TypeScript module through tsx (worker threads do not
// inherit the parent's loader on Node 20).
const ENTRY = new URL('./search/worker-entry.mjs', import.meta.url);
const WORKER = new URL('./json-lines-worker.ts', import.meta.url).href;

/**
 * The batches of a JSON Lines file, read and parsed on a worker thread while the caller
 * writes the batches before: on a bulk import parsing and writing each take about half the
 * work, so the two cores overlap them. A batch is acknowledged as soon as the caller takes it;
 * the parser stays at most AHEAD batches ahead, so memory is flat however long the file.
 * Stopping early (the caller throws or breaks) terminates the thread; a thread that fails or
 * exits before its last batch is an error naming the last line batch that was handed over.
 */
export async function* readJsonLinesInWorker(
  job: Omit<JsonLinesJob, 'ahead'>,
): AsyncGenerator<LineBatch, LastBatch> {
  const worker = new Worker(ENTRY, {
    workerData: { ...job, ahead: AHEAD, entry: WORKER } satisfies JsonLinesJob & {
      entry: string;
    },
  });
  const queue: ReaderMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let done = false;
  let taken = 0;
  const stopped = (why: string, cause?: unknown) =>
    new PaperboyError(
      'INTERNAL',
      `${job.file}: the JSON Lines parsing thread ${why} after ${taken} batches had been ` +
        'handed over; those that were reported committed are stored, nothing after them',
      cause === undefined ? undefined : { cause },
    );
  worker.on('message', (message: ReaderMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure ??= stopped(`failed (${error.message})`, error);
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= stopped(`stopped (exit code ${code})`);
    wake?.();
  });
  try {
    for (;;) {
      // Messages posted before an exit arrive before it: every batch sent is taken.
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = queue.shift();
      if (!message) throw failure as unknown as Error;
      if (message.type === 'error') {
        throw message.code
          ? new PaperboyError(message.code, message.message)
          : stopped(`failed (${message.message})`);
      }
      if (message.type === 'done') {
        done = true;
        return message.batch;
      }
      taken++;
      worker.postMessage('taken');
      yield message.batch;
    }
  } finally {
    if (!done) failure ??= stopped('was stopped by the writer');
    await worker.terminate();
  }
}
