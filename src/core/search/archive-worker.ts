import { parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { archiveSyncedSeq, ensureArchive, rebuildArchive, syncArchive } from './archive.js';
import { wordsOfRows } from './known-terms.js';

/**
 * An idle worker is let go after this long: jobs come in runs (a catch-up, a rebuild, the
 * polls of one tick), and between them its thread, loader and SQLite connection (~30 MB)
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

type Mode = 'sync' | 'rebuild';

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
 * reading (WAL): `rebuild` refills it in one transaction; `sync` indexes the backlog in
 * committed slices and returns the words of what it indexed for the bot's known terms.
 * Started on first use and kept while work comes: starting one (a thread, tsx's loader,
 * SQLite) took 0.6–4 s here. One job at a time, in
 * order. The entry goes through tsx's `tsImport` (worker-entry.mjs). Never keeps the process
 * alive.
 */
export class ArchiveWorker {
  /** The live thread and the jobs it owes answers to, in order. */
  private current: { thread: Worker; jobs: Job[] } | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    /** How long the worker's connection waits for another writer's lock (tests shorten it). */
    private readonly busyTimeoutMs = 30_000,
  ) {}

  run(mode: Mode): Promise<ArchiveJobResult> {
    if (this.idle) clearTimeout(this.idle);
    const current = this.current ?? this.start();
    return new Promise((resolve, reject) => {
      current.jobs.push({ resolve, reject });
      current.thread.postMessage(mode);
    });
  }

  close(): Promise<unknown> {
    if (this.idle) clearTimeout(this.idle);
    const current = this.current;
    this.current = null;
    return current ? current.thread.terminate() : Promise.resolve();
  }

  private start(): { thread: Worker; jobs: Job[] } {
    const thread = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: {
        archiveFile: this.file,
        busyTimeoutMs: this.busyTimeoutMs,
        entry: import.meta.url,
      },
    });
    thread.unref();
    // Each thread answers its own jobs: one closed while idle may exit after a new one took
    // the next job, and its exit must not fail that job.
    const current = { thread, jobs: [] as Job[] };
    thread.on('message', (message: ArchiveJobResult | JobFailure) => {
      const job = current.jobs.shift();
      if ('error' in message) job?.reject(jobError(message));
      else job?.resolve(message);
      if (current.jobs.length === 0 && this.current === current)
        this.idle = setTimeout(() => void this.close(), IDLE_MS).unref();
    });
    const fail = (error: Error) => {
      if (this.current === current) this.current = null;
      for (const job of current.jobs.splice(0)) job.reject(error);
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`archive worker exited with code ${code}`)));
    this.current = current;
    return current;
  }
}

function runJob(db: Database.Database, mode: Mode): ArchiveJobResult {
  ensureArchive(db);
  if (mode === 'rebuild') {
    const rows = rebuildArchive(db);
    return { rows, from: -1, to: archiveSyncedSeq(db), words: null };
  }
  const from = archiveSyncedSeq(db);
  let rows = 0;
  for (let n = syncArchive(db, SLICE); n > 0; n = syncArchive(db, SLICE)) rows += n;
  const to = archiveSyncedSeq(db);
  return { rows, from, to, words: rows <= WORDS_ROWS ? wordsOfRows(db, from, to) : null };
}

// In the worker thread (this module loaded as its entry): one answer per job message.
const data = workerData as { archiveFile?: string; busyTimeoutMs?: number } | null;
const file = data?.archiveFile;
if (file && parentPort) {
  const db = new Database(file);
  db.pragma(`busy_timeout = ${Math.floor(data?.busyTimeoutMs ?? 30_000)}`);
  const port = parentPort;
  port.on('message', (mode: Mode) => {
    try {
      port.postMessage(runJob(db, mode));
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      const failure: JobFailure = { error: String((error as Error)?.message ?? error) };
      if (typeof code === 'string') failure.code = code;
      port.postMessage(failure);
    }
  });
}
