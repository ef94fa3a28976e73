import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ensureArchive, rebuildArchive, syncArchive } from './archive.js';

/**
 * Works on the FTS5 archive on its own connection, so the request path keeps reading (WAL):
 * `rebuild` refills it in one transaction; `sync` indexes the backlog in committed slices.
 */
const { file, mode } = workerData as { file: string; mode?: 'rebuild' | 'sync' };
const db = new Database(file);
try {
  db.pragma('busy_timeout = 30000');
  ensureArchive(db);
  let rows = 0;
  if (mode === 'sync')
    for (let n = syncArchive(db, 1000); n > 0; n = syncArchive(db, 1000)) rows += n;
  else rows = rebuildArchive(db);
  parentPort?.postMessage(rows);
} finally {
  db.close();
}
