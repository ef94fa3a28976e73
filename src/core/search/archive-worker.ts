import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ensureArchive, rebuildArchive } from './archive.js';

/** Rebuilds the FTS5 archive on its own connection so the request path keeps reading (WAL). */
const { file } = workerData as { file: string };
const db = new Database(file);
try {
  db.pragma('busy_timeout = 30000');
  ensureArchive(db);
  parentPort?.postMessage(rebuildArchive(db));
} finally {
  db.close();
}
