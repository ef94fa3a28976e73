import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PapersStamp } from '../store/store.js';
import type { SearchFilters } from './archive-query.js';
import { foldText } from './text.js';

/** What search needs of the store (SqliteStore provides it). */
export interface SearchableStore {
  readonly db: Database;
  papersStamp(): PapersStamp;
  setPapersWrittenHook(hook: ((db: Database, sinceChangeSeq: number) => void) | null): void;
}

export interface PaperSearchOptions {
  store: SearchableStore;
  /** Where the window index is persisted; null keeps it in memory (tests). */
  dataDir: string | null;
  clock: Clock;
  logger: Logger;
  /** Papers first seen in the last `windowDays` days, at most `windowMax`, go in the Lunr window. */
  windowDays?: number;
  windowMax?: number;
  /** Or read both from the app config (`config.search`). */
  config?: { search: { windowDays: number; windowMax: number } };
}

/** Counters for tests and the bench: prove a restart loaded instead of rebuilding. */
export interface SearchStats {
  windowLoads: number;
  windowBuilds: number;
  windowSize: number;
  archiveRebuilds: number;
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
