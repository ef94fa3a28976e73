import { parentPort, workerData } from 'node:worker_threads';
import { isPaperboyError } from '../errors.js';
import { byteChunks } from './file-bytes.js';
import { JsonLinesReader, type LineBatch } from './json-lines.js';
import type { JsonLinesJob, ReaderMessage } from './json-lines-thread.js';

/** Batches posted and not yet taken by the writer: enough to keep both threads busy. */
const AHEAD = 2;

// The reading side of `readJsonLinesInWorker`: reads and parses the file, posting a batch at
// a time, and waits whenever the writer is AHEAD batches behind (so memory stays flat).
const port = parentPort;
if (!port) throw new Error('json-lines-worker runs only as a worker thread');
const job = workerData as JsonLinesJob;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  inFlight--;
  wake?.();
});

async function post(batch: LineBatch): Promise<void> {
  port?.postMessage({ type: 'batch', batch } satisfies ReaderMessage);
  inFlight++;
  while (inFlight >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
}

async function main(): Promise<void> {
  let bytesRead = 0;
  const reader = new JsonLinesReader(job.fetchedAt, job.batchSize);
  for await (const chunk of byteChunks(job.file, job.gzip, (n) => (bytesRead += n))) {
    for (const batch of reader.push(chunk, bytesRead)) await post(batch);
  }
  port?.postMessage({ type: 'done', batch: reader.end(bytesRead) } satisfies ReaderMessage);
}

main().catch((error: unknown) => {
  port.postMessage({
    type: 'error',
    message: (error as Error).message ?? String(error),
    code: isPaperboyError(error) ? error.code : null,
  } satisfies ReaderMessage);
});
