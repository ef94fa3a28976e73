import type { Worker } from 'node:worker_threads';
import { type ErrorCode, PaperboyError } from './errors.js';
import {
  type JsonLinesOptions,
  type LastBatch,
  type LineBatch,
  type ReaderState,
  unknownKeyWarnings,
} from './json-lines-batch.js';
import { JsonLinesReader } from './json-lines-reader.js';
import { UnknownFields } from './sources/parse-result.js';
import { startThread } from './thread-script.js';

/**
 * When the thread hands a batch's lines to the writer unparsed: when the writer said it waits
 * (parsing costs more than writing: this evens the two cores out), never, or alternately
 * (tests: a fixed mix of both paths).
 */
export type HandOff = 'when-writer-waits' | 'never' | 'alternately';

/** What the parsing thread is asked to read. */
export interface JsonLinesJob extends JsonLinesOptions {
  file: string;
  /**
   * The file as the caller opened it (threads share the process's open files): the thread
   * reads the file the caller read, even if another was renamed over the path meanwhile. The
   * caller closes it once the thread has stopped.
   */
  fd: number;
  gzip: boolean;
  /**
   * Papers per message (`batchSize` is the writer's transaction): a batch's papers live on
   * the thread until posted, and small messages keep them out of its old generation.
   */
  postEvery: number;
  /** Messages posted and not yet taken by the writer before the parser waits. */
  ahead: number;
  handOff: HandOff;
}

/** What the parsing thread says: loaded, a batch, the last batch, or why it stopped. */
export type ReaderMessage =
  | { type: 'ready' }
  | { type: 'batch'; batch: LineBatch }
  | { type: 'done'; batch: LastBatch }
  | { type: 'error'; message: string; code: ErrorCode | null };

/** What the writer says: where to start reading (once), that it took a batch, that it waits. */
export type WriterMessage =
  | { type: 'start'; from: ReaderState }
  | { type: 'taken' }
  | { type: 'waiting' };

/**
 * Up to eight messages per batch: posted a whole batch at a time, 2,000 papers' strings
 * survived the thread's young-generation collections and were copied and promoted, and
 * collecting took twice the CPU.
 */
const POSTS_PER_BATCH = 8;
/**
 * Batches' worth of papers the parser may be ahead of the writer. Batches end early where
 * lines are handed over, so four (not two) keep both threads busy; more would only hold more
 * papers in memory.
 */
const AHEAD_BATCHES = 4;

/**
 * How the thread posts: in parts of a batch that divide it (so messages end where the writer's
 * transactions do), the largest up to an eighth; and how many messages it may be ahead.
 */
function postingOf(batchSize: number): { postEvery: number; ahead: number } {
  let parts = POSTS_PER_BATCH;
  while (parts > 1 && batchSize % parts !== 0) parts--;
  return { postEvery: batchSize / parts, ahead: AHEAD_BATCHES * parts };
}

const WORKER = new URL('./json-lines-worker.ts', import.meta.url);

/**
 * A worker thread that reads and parses a JSON Lines file while the caller writes the batches
 * before: on a bulk import parsing and writing each take about half the work, so the two cores
 * overlap them. Starting it (the script bundled, a thread) takes a tenth of a second or so, so
 * the caller reads on meanwhile and hands the reading over once the thread is `ready`. A batch
 * is acknowledged as soon as the caller takes it; the parser stays at most AHEAD_BATCHES
 * batches ahead, so memory is flat however long the file.
 */
export class ParsingThread {
  /** The thread, once its script is built and it is started (`null` before). */
  private worker: Worker | null = null;
  private readonly starting: Promise<void>;
  private readonly queue: ReaderMessage[] = [];
  /** Why the thread ended early; said with the papers handed over by the time it is thrown. */
  private failure: { why: string; cause?: unknown } | null = null;
  private wake: (() => void) | null = null;
  private loaded = false;
  /** Papers handed to the caller (said if the thread stops early). */
  private taken = 0;
  /** Unknown keys of the lines parsed here (handed over unparsed). */
  private readonly keysHere = new UnknownFields();

  constructor(
    private readonly job: Omit<JsonLinesJob, 'ahead' | 'handOff' | 'postEvery'> & {
      handOff?: HandOff;
    },
  ) {
    const data = { handOff: 'when-writer-waits' as const, ...job, ...postingOf(job.batchSize) };
    this.starting = startThread(WORKER, { workerData: data satisfies JsonLinesJob }).then(
      (worker) => this.attach(worker),
      (error: Error) => {
        this.failure ??= { why: `could not start (${error.message})`, cause: error };
        this.wake?.();
      },
    );
  }

  private attach(worker: Worker): void {
    if (this.failure) {
      void worker.terminate();
      return;
    }
    this.worker = worker;
    worker.on('message', (message: ReaderMessage) => {
      if (message.type === 'ready') this.loaded = true;
      else this.queue.push(message);
      this.wake?.();
    });
    worker.on('error', (error) => {
      // A thrown value that is not an Error arrives as a plain object (no message).
      const what = error?.message || JSON.stringify(error);
      this.failure ??= { why: `failed (${what})`, cause: error };
      this.wake?.();
    });
    worker.on('exit', (code) => {
      this.failure ??= { why: `stopped (exit code ${code})` };
      this.wake?.();
    });
  }

  /** Only once `ready`: the thread is started by then. */
  private post(message: WriterMessage): void {
    this.worker?.postMessage(message);
  }

  /** Whether the thread has loaded and can take the reading over. */
  get ready(): boolean {
    return this.loaded;
  }

  /** Resolves once the thread is ready; fails if it stops first. */
  async whenReady(): Promise<void> {
    while (!this.loaded && !this.failure)
      await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (!this.loaded) throw this.stopped();
  }

  /**
   * The batches from where the caller's reader stopped (`JsonLinesReader.handOver`), then
   * the last batch. A thread that fails or exits before its last batch is an error.
   */
  async *batches(from: ReaderState): AsyncGenerator<LineBatch, LastBatch> {
    this.post({ type: 'start', from });
    for (;;) {
      // Messages posted before an exit arrive before it: every batch sent is taken.
      if (this.queue.length === 0 && !this.failure) this.post({ type: 'waiting' });
      while (this.queue.length === 0 && !this.failure)
        await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      const message = this.queue.shift();
      if (!message) throw this.stopped();
      if (message.type === 'error') {
        throw message.code
          ? new PaperboyError(message.code, message.message)
          : this.stopped({ why: `failed (${message.message})` });
      }
      if (message.type === 'done') return this.withKeysHere(message.batch);
      if (message.type === 'batch') {
        this.post({ type: 'taken' });
        for (const batch of message.batch.unparsed
          ? this.parseHere(message.batch)
          : [message.batch]) {
          this.taken += batch.papers.length;
          yield batch;
        }
      }
    }
  }

  /** Lines the thread handed over unparsed, parsed here as the thread would have. */
  private *parseHere(batch: LineBatch): Generator<LineBatch> {
    const { bytes, lineNumber } = batch.unparsed as NonNullable<LineBatch['unparsed']>;
    const from = { offset: 0, lineNumber, papers: [], warnings: batch.warnings, unknownKeys: [] };
    const reader = new JsonLinesReader(this.job, from);
    // The file's progress is where the thread had read to when it handed these lines over.
    const { bytesRead } = batch;
    yield* reader.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytesRead);
    // Whole lines only: nothing is cut off, `end` only takes what is left of the batch.
    const { batches, last } = reader.end(bytesRead);
    yield* batches;
    if (last.papers.length > 0 || last.warnings.length > 0)
      yield { papers: last.papers, warnings: last.warnings, bytesRead };
    this.keysHere.merge(last.unknownKeys);
  }

  /** The last batch, its unknown keys counted with those of the lines parsed here. */
  private withKeysHere(last: LastBatch): LastBatch {
    const here = this.keysHere.entries();
    if (here.length === 0) return last;
    const all = new UnknownFields(last.unknownKeys);
    all.merge(here);
    const unknownKeys = all.entries();
    return { ...last, unknownKeys, unknownFields: unknownKeyWarnings(unknownKeys) };
  }

  /** Ends the thread, whatever it is doing (resolves once it has). */
  async stop(): Promise<void> {
    this.failure ??= { why: 'was stopped by the writer' };
    await this.starting;
    await this.worker?.terminate();
  }

  private stopped(
    { why, cause }: { why: string; cause?: unknown } = this.failure ?? { why: 'stopped' },
  ): PaperboyError {
    return new PaperboyError(
      'INTERNAL',
      `${this.job.file}: the JSON Lines parsing thread ${why} after ${this.taken} papers had ` +
        'been handed over; those reported committed are stored, nothing after them',
      cause === undefined ? undefined : { cause },
    );
  }
}
