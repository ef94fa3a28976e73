import { Worker } from 'node:worker_threads';

/** An idle worker is let go after this long; a live bot's next poll usually comes sooner. */
const IDLE_MS = 10 * 60_000;

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

/**
 * The archive worker (`./archive-worker.ts`), started on first use and kept while work comes:
 * starting one (a thread, tsx's loader, SQLite) took 0.6–4 s here, longer than its work on a
 * poll's batch. One job at a time, in order. Works under `node --import tsx` and vitest alike:
 * the entry goes through tsx's `tsImport`. Never keeps the process alive.
 */
export class ArchiveWorker {
  private worker: Worker | null = null;
  private readonly jobs: Job[] = [];
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly file: string) {}

  run(mode: 'sync' | 'rebuild'): Promise<ArchiveJobResult> {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker ?? this.start();
    return new Promise((resolve, reject) => {
      this.jobs.push({ resolve, reject });
      worker.postMessage(mode);
    });
  }

  close(): Promise<unknown> {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = null;
    return worker ? worker.terminate() : Promise.resolve();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { file: this.file, entry: new URL('./archive-worker.ts', import.meta.url).href },
    });
    worker.unref();
    worker.on('message', (message: ArchiveJobResult | { error: string }) => {
      const job = this.jobs.shift();
      if ('error' in message) job?.reject(new Error(message.error));
      else job?.resolve(message);
      if (this.jobs.length === 0) this.idle = setTimeout(() => void this.close(), IDLE_MS).unref();
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const job of this.jobs.splice(0)) job.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`archive worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
