import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ensureArchive, rebuildArchive, syncArchive } from './archive.js';

/**
 * Works on the FTS5 archive on its own connection, so the request path keeps reading (WAL):
 * `rebuild` refills it in one transaction; `sync` indexes the backlog in committed slices.
 * One message per job, one answer each: `{ rows }` or `{ error }`.
 */
const { file } = workerData as { file: string };
/**
 * Rows per committed slice: while a slice's transaction is open, a write of the bot's own
 * (a poll's papers) waits for the lock synchronously, on the event loop.
 */
const SLICE = 250;
const db = new Database(file);
db.pragma('busy_timeout = 30000');
parentPort?.on('message', (mode: 'rebuild' | 'sync') => {
  try {
    ensureArchive(db);
    let rows = 0;
    if (mode === 'sync')
      for (let n = syncArchive(db, SLICE); n > 0; n = syncArchive(db, SLICE)) rows += n;
    else rows = rebuildArchive(db);
    parentPort?.postMessage({ rows });
  } catch (error) {
    parentPort?.postMessage({ error: String((error as Error)?.message ?? error) });
  }
});
