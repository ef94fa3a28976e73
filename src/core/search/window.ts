import { existsSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { PapersStamp } from '../store/store.js';
import { runWorker } from './spawn-worker.js';
import { type WindowDoc, type WindowIndex, windowIndexFrom } from './window-index.js';

/** Bump when the window's index layout changes: older files are rebuilt. */
export const WINDOW_VERSION = 1;

/** What a window index covers; equal stamps mean the persisted index is current. */
export interface WindowStamp {
  version: number;
  papers: PapersStamp;
  /** Papers first seen at or after this instant (start of a UTC day). */
  from: string;
  max: number;
}

export function sameStamp(a: WindowStamp | null, b: WindowStamp): boolean {
  return (
    a !== null &&
    a.version === b.version &&
    a.papers.count === b.papers.count &&
    a.papers.lastChange === b.papers.lastChange &&
    a.from === b.from &&
    a.max === b.max
  );
}

/** Start of the UTC day `days` days before `now`: stable through a day, so restarts match. */
export function windowFrom(now: Date, days: number): string {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start - days * 86_400_000).toISOString();
}

interface DocRow {
  rowid: number;
  id: string;
  title: string;
  authors: string;
  abstract: string;
  published_at: string | null;
  first_seen_at: string;
}

function toDoc(r: DocRow): WindowDoc {
  let authors: string[] = [];
  try {
    authors = JSON.parse(r.authors) as string[];
  } catch {
    authors = [];
  }
  return {
    rowid: r.rowid,
    id: r.id,
    title: r.title,
    authors,
    abstract: r.abstract,
    day: r.published_at ?? r.first_seen_at.slice(0, 10),
    published: r.published_at,
  };
}

const DOC_COLUMNS = 'rowid, id, title, authors, abstract, published_at, first_seen_at';

/** The papers the window should hold: newest first seen since `from`, at most `max`. */
export function selectWindowDocs(db: Database, from: string, max: number): WindowDoc[] {
  const rows = db
    .prepare(
      `SELECT ${DOC_COLUMNS} FROM papers WHERE first_seen_at >= ? ORDER BY first_seen_at DESC, rowid DESC LIMIT ?`,
    )
    .all(from, max) as DocRow[];
  return rows.map(toDoc);
}

export function docsByRowid(db: Database, rowids: number[]): WindowDoc[] {
  const rows = db
    .prepare(`SELECT ${DOC_COLUMNS} FROM papers WHERE rowid IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(rowids)) as DocRow[];
  return rows.map(toDoc);
}

export interface LoadedWindow {
  stamp: WindowStamp;
  index: WindowIndex;
  docs: WindowDoc[];
}

/** Loads the persisted window when its stamp is `expected`; null when absent, stale or damaged. */
export function loadPersistedWindow(
  db: Database,
  file: string,
  expected: WindowStamp,
): LoadedWindow | null {
  if (!existsSync(file)) return null;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      stamp: WindowStamp;
      rowids: number[];
      index: object;
    };
    if (!sameStamp(saved.stamp, expected)) return null;
    const docs = docsByRowid(db, saved.rowids);
    if (docs.length !== saved.rowids.length) return null;
    return { stamp: saved.stamp, index: windowIndexFrom(saved.index), docs };
  } catch {
    return null;
  }
}

/** Builds the index in a worker thread; persists it to `file` when given. */
export async function buildInWorker(
  docs: WindowDoc[],
  file: string | null,
  stamp: WindowStamp,
): Promise<WindowIndex> {
  const json = await runWorker<string>('window-worker', { docs, file, stamp });
  return windowIndexFrom(JSON.parse(json));
}
