import { type IngestProgress, type IngestSummary, ingestFile } from '../../src/core/ingest.js';
import type { HandOff } from '../../src/core/json-lines-thread.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

export const INGEST_NOW = new Date('2026-10-01T12:00:00.000Z');

/** One corpus line (the shared corpus's JSON Lines shape): paper `i`, with `abstract`. */
export function corpusLine(i: number, abstract = `abs ${i}`, id = i): string {
  return JSON.stringify({
    id: `2501.${String(id).padStart(5, '0')}`,
    title: `T ${i}`,
    authors: ['A B'],
    abstract,
    categories: ['cs.RO'],
    date: '2026-01-02',
  });
}

/** One thread (`null`), or the parsing thread taking over after `handOverAfter` bytes. */
export type Threading = { handOverAfter: number; handOff: HandOff } | null;

/** A line warning as the order tests compare it: its head, without the line's text. */
export const warningHead = (warning: string): string => warning.replace(/:.*/, '');
export const committedCount = (p: IngestProgress): string => `committed ${p.committed}`;

/**
 * `ingestFile` of `file` into a fresh in-memory store, with what it said in order (each
 * warning and commit as `say` writes it; left out when `say` has no writer for it) and what
 * `read` takes of the store before it is closed.
 */
export async function ingestHeard<T = undefined>(
  file: string,
  batchSize: number,
  threading: Threading,
  say: { warning?: (warning: string) => string; batch?: (p: IngestProgress) => string },
  read?: (store: SqliteStore) => T,
): Promise<{ summary: IngestSummary; heard: string[]; stored: T }> {
  const store = SqliteStore.open(':memory:');
  const heard: string[] = [];
  const { warning, batch } = say;
  try {
    const summary = await ingestFile({
      store,
      file,
      now: () => INGEST_NOW,
      batchSize,
      ...(threading === null ? { parseInWorker: false } : { parseInWorker: true, ...threading }),
      ...(warning ? { onWarning: (w: string) => heard.push(warning(w)) } : {}),
      ...(batch ? { onBatch: (p: IngestProgress) => heard.push(batch(p)) } : {}),
    });
    return { summary, heard, stored: read?.(store) as T };
  } finally {
    store.close();
  }
}
