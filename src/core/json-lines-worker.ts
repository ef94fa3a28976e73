// The parsing side of `ParsingThread` (./json-lines-thread.ts), on a worker thread: once
// told where to start, reads the file, cuts and parses its lines into prepared papers, and
// posts a batch at a time, waiting whenever the writer has `ahead` batches it has not taken
// yet (memory stays flat).
import { parentPort, workerData } from 'node:worker_threads';
import { isPaperboyError } from './errors.js';
import { byteChunks, GZIP_CUT_OFF } from './file-bytes.js';
import type { LineBatch, ReaderState } from './json-lines-batch.js';
import { JsonLinesReader } from './json-lines-reader.js';
import type { JsonLinesJob, ReaderMessage, WriterMessage } from './json-lines-thread.js';

const port = parentPort;
if (!port) throw new Error('json-lines-worker runs only as a worker thread');
const job = workerData as JsonLinesJob;
let untaken = 0;
/** The writer said it waits for a batch, and no batch was handed to it unparsed since. */
let writerWaits = false;
let wake: (() => void) | null = null;

async function post(batch: LineBatch): Promise<void> {
  port?.postMessage({ type: 'batch', batch } satisfies ReaderMessage);
  untaken++;
  while (untaken >= job.ahead) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
}

async function read(from: ReaderState): Promise<void> {
  let bytesRead = 0;
  const reader = new JsonLinesReader(job, from);
  if (job.handOff === 'when-writer-waits')
    reader.handOffWhen = () => {
      const waits = writerWaits;
      writerWaits = false;
      return waits;
    };
  // Lines of every other stretch of a batch's length: both paths, at fixed places.
  if (job.handOff === 'alternately')
    reader.handOffWhen = (line) => Math.floor((line - 1) / job.batchSize) % 2 === 1;
  const chunks = byteChunks(
    job.file,
    job.fd,
    job.gzip,
    (n) => {
      bytesRead += n;
    },
    () => reader.warn(GZIP_CUT_OFF, false),
    from.offset,
  );
  for await (const chunk of chunks) {
    for (const batch of reader.push(chunk, bytesRead)) await post(batch);
  }
  const { batches, last } = reader.end(bytesRead);
  for (const batch of batches) await post(batch);
  port?.postMessage({ type: 'done', batch: last } satisfies ReaderMessage);
}

port.on('message', (message: WriterMessage) => {
  if (message.type === 'taken' || message.type === 'waiting') {
    writerWaits = message.type === 'waiting';
    if (message.type === 'taken') untaken--;
    wake?.();
    return;
  }
  read(message.from).catch((error: unknown) => {
    port.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      code: isPaperboyError(error) ? error.code : null,
    } satisfies ReaderMessage);
  });
});
// Loaded (the slow part of starting): the writer may hand the reading over now.
port.postMessage({ type: 'ready' } satisfies ReaderMessage);
