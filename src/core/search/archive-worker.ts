import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { archiveSyncedSeq, ensureArchive, rebuildArchive, syncArchive } from './archive.js';
import { wordsOfRows } from './known-terms.js';
import type { ArchiveJobResult } from './spawn-worker.js';

/**
 * Works on the FTS5 archive on its own connection, so the request path keeps reading (WAL):
 * `rebuild` refills it in one transaction; `sync` indexes the backlog in committed slices and
 * returns the words of what it indexed (up to WORDS_ROWS rows) for the bot's known terms.
 * One message per job, one answer each: an `ArchiveJobResult` or `{ error }`.
 */
const { file } = workerData as { file: string };
/**
 * Rows per committed slice: while a slice's transaction is open, a write of the bot's own
 * (a poll's papers) waits for the lock synchronously, on the event loop.
 */
const SLICE = 250;
/** Beyond this many rows the word list (one message, cloned on the event loop) grows too big. */
const WORDS_ROWS = 2000;
const db = new Database(file);
db.pragma('busy_timeout = 30000');
parentPort?.on('message', (mode: 'rebuild' | 'sync') => {
  try {
    ensureArchive(db);
    let result: ArchiveJobResult;
    if (mode === 'sync') {
      const from = archiveSyncedSeq(db);
      let rows = 0;
      for (let n = syncArchive(db, SLICE); n > 0; n = syncArchive(db, SLICE)) rows += n;
      const to = archiveSyncedSeq(db);
      const words = rows <= WORDS_ROWS ? wordsOfRows(db, from, to) : null;
      result = { rows, from, to, words };
    } else {
      const rows = rebuildArchive(db);
      result = { rows, from: -1, to: archiveSyncedSeq(db), words: null };
    }
    parentPort?.postMessage(result);
  } catch (error) {
    parentPort?.postMessage({ error: String((error as Error)?.message ?? error) });
  }
});
