// The parsing side of `readJsonLinesInWorker` (./json-lines-thread.ts), on a worker thread:
// reads the file, cuts and parses its lines into prepared papers, and posts a batch at a time,
// waiting whenever the writer has AHEAD batches it has not taken yet (memory stays flat).
import { parentPort, workerData } from 'node:worker_threads';
import { isPaperboyError } from './errors.js';
import { byteChunks } from './file-bytes.js';
import { JsonLinesReader, type LineBatch } from './json-lines-reader.js';
import type { JsonLinesJob, ReaderMessage } from './json-lines-thread.js';

const port = parentPort;
if (!port) throw new Error('json-lines-worker runs only as a worker thread');
const job = workerData as JsonLinesJob;
let untaken = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  untaken--;
  wake?.();
});

async function post(batch: LineBatch): Promise<void> {
  port?.postMessage({ type: 'batch', batch } satisfies ReaderMessage);
  untaken++;
  while (untaken >= job.ahead) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
}

async function main(): Promise<void> {
  let bytesRead = 0;
  const reader = new JsonLinesReader(job);
  const chunks = byteChunks(
    job.file,
    job.gzip,
    (n) => {
      bytesRead += n;
    },
    () =>
      reader.warn(
        'the gzip data ends early (the download was cut off?): what came before was read',
        false,
      ),
  );
  for await (const chunk of chunks) {
    for (const batch of reader.push(chunk, bytesRead)) await post(batch);
  }
  const { batches, last } = reader.end(bytesRead);
  for (const batch of batches) await post(batch);
  port?.postMessage({ type: 'done', batch: last } satisfies ReaderMessage);
}

main().catch((error: unknown) => {
  port.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    code: isPaperboyError(error) ? error.code : null,
  } satisfies ReaderMessage);
});
