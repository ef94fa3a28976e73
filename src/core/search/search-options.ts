import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { SearchFilters } from './archive-query.js';
import { foldText } from './text.js';

/** What search needs of the store (SqliteStore provides it). */
export interface SearchableStore {
  readonly db: Database;
  setPapersWrittenHook(hook: ((db: Database, sinceChangeSeq: number) => void) | null): void;
}

export interface PaperSearchOptions {
  store: SearchableStore;
  /** The data folder; search keeps nothing there of its own (the archive is in the store). */
  dataDir?: string | null;
  clock: Clock;
  logger: Logger;
}

/** Counters for tests and the bench. */
export interface SearchStats {
  /** Rows indexed by background catch-up slices (writes of another process, or a backlog). */
  caughtUp: number;
}

export function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** The structured options of a search, checked: a bad `since` or `author` is ignored. */
export function searchFilters(options: { since?: unknown; author?: unknown }): SearchFilters {
  const since =
    typeof options.since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(options.since)
      ? options.since
      : null;
  const author =
    typeof options.author === 'string' ? foldText(options.author).trim().slice(0, 200) : '';
  return { since, author: author || null };
}
