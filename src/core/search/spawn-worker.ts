import { Worker } from 'node:worker_threads';

/**
 * Runs `./<name>.ts` in a worker thread and resolves with its one message. Works under
 * `node --import tsx` and vitest alike: the entry goes through tsx's `tsImport`.
 */
export function runWorker<T>(name: string, data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { ...data, entry: new URL(`./${name}.ts`, import.meta.url).href },
    });
    let settled = false;
    worker.once('message', (message: T) => {
      settled = true;
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`${name} worker exited with code ${code} before answering`));
    });
  });
}
