import { parentPort, type Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { startThread } from '../thread-script.js';
import { archiveSyncedSeq, ensureArchive, syncArchive } from './archive.js';
import { wordsOfRows } from './known-terms.js';

/**
 * An idle worker is let go after this long: jobs come in runs (a catch-up, the polls of one
 * tick), and between them its thread, loader and SQLite connection (~30 MB)
 * would sit in the bot's memory for nothing; starting one again is off the request path.
 */
const IDLE_MS = 5_000;
/**
 * Rows per committed slice: while a slice's transaction is open, a write of the bot's own
 * (a poll's papers) waits for the lock synchronously, on the event loop.
 */
const SLICE = 250;
/** Beyond this many rows the word list (one message, cloned on the event loop) grows too big. */
const WORDS_ROWS = 2000;

/** What a job did: rows indexed, the sync points around it, the words of those rows. */
export interface ArchiveJobResult {
  rows: number;
  from: number;
  to: number;
  /** Distinct words of the rows indexed; null when there were too many to send. */
  words: string[] | null;
}

interface Job {
  resolve(result: ArchiveJobResult): void;
  reject(error: Error): void;
}

/** A failed job as the thread reports it: the message, and SQLite's code (SQLITE_BUSY…). */
interface JobFailure {
  error: string;
  code?: string;
}

/** The failure as an Error with its code, so a busy archive is retried like any busy step. */
function jobError(failure: JobFailure): Error {
  return Object.assign(new Error(failure.error), failure.code ? { code: failure.code } : {});
}

/**
 * The archive's big writes on their own thread and connection, so the request path keeps
 * reading (WAL): `sync` indexes the backlog in committed slices and returns the words of
 * what it indexed for the bot's known terms.
 * Started on first use (this module, bundled: `startThread`) and kept while work comes.
 * One job at a time, in order. Never keeps the process alive.
 */
export class ArchiveWorker {
  /** The live thread (once started) and the jobs it owes answers to, in order. */
  private current: { thread: Promise<Worker>; jobs: Job[] } | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    /** How long the worker's connection waits for another writer's lock (tests shorten it). */
    private readonly busyTimeoutMs = 30_000,
  ) {}

  sync(): Promise<ArchiveJobResult> {
    if (this.idle) clearTimeout(this.idle);
    const current = this.current ?? this.start();
    return new Promise((resolve, reject) => {
      current.jobs.push({ resolve, reject });
      // Callbacks on one promise run in the order they were added: jobs are posted in order.
      current.thread.then((thread) => thread.postMessage('sync'), reject);
    });
  }

  close(): Promise<unknown> {
    if (this.idle) clearTimeout(this.idle);
    const current = this.current;
    this.current = null;
    return current
      ? current.thread.then(
          (thread) => thread.terminate(),
          () => 0,
        )
      : Promise.resolve();
  }

  private start(): { thread: Promise<Worker>; jobs: Job[] } {
    const workerData = { archiveFile: this.file, busyTimeoutMs: this.busyTimeoutMs };
    // Each thread answers its own jobs: one closed while idle may exit after a new one took
    // the next job, and its exit must not fail that job.
    const current = {
      thread: startThread(new URL(import.meta.url), { workerData }),
      jobs: [] as Job[],
    };
    const fail = (error: Error) => {
      if (this.current === current) this.current = null;
      for (const job of current.jobs.splice(0)) job.reject(error);
    };
    current.thread.then((thread) => {
      thread.unref();
      thread.on('message', (message: ArchiveJobResult | JobFailure) => {
        const job = current.jobs.shift();
        if ('error' in message) job?.reject(jobError(message));
        else job?.resolve(message);
        if (current.jobs.length === 0 && this.current === current)
          this.idle = setTimeout(() => void this.close(), IDLE_MS).unref();
      });
      thread.on('error', fail);
      thread.on('exit', (code) => fail(new Error(`archive worker exited with code ${code}`)));
    }, fail);
    this.current = current;
    return current;
  }
}

function syncJob(db: Database.Database): ArchiveJobResult {
  ensureArchive(db);
  const from = archiveSyncedSeq(db);
  let rows = 0;
  for (let n = syncArchive(db, SLICE); n > 0; n = syncArchive(db, SLICE)) rows += n;
  const to = archiveSyncedSeq(db);
  return { rows, from, to, words: rows <= WORDS_ROWS ? wordsOfRows(db, from, to) : null };
}

// In the worker thread (this module loaded as its entry): one answer per job message. The
// file is opened for the first job that finds it closed: one it cannot open fails that job
// with why, and the next job tries again (the cause may pass: a folder being restored).
const data = workerData as { archiveFile?: string; busyTimeoutMs?: number } | null;
const file = data?.archiveFile;
if (file && parentPort) {
  const port = parentPort;
  let db: Database.Database | null = null;
  port.on('message', () => {
    try {
      if (!db) {
        db = new Database(file);
        db.pragma(`busy_timeout = ${Math.floor(data?.busyTimeoutMs ?? 30_000)}`);
      }
      port.postMessage(syncJob(db));
    } catch (error) {
      // SQLite's errors lose their message when cloned: sent as text and code.
      const code = (error as { code?: unknown })?.code;
      const failure: JobFailure = { error: String((error as Error)?.message ?? error) };
      if (typeof code === 'string') failure.code = code;
      port.postMessage(failure);
    }
  });
}
