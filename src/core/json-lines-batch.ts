// What a JSON Lines reader hands on, on either thread: batches of prepared papers with their
// warnings, lines left unparsed for the writer, the last batch with the file's unknown keys,
// and where a reading stopped for another to go on.
import { UnknownFields } from './sources/parse-result.js';
import type { PreparedPaper } from './store/prepared-paper.js';

/**
 * A warning, whether its line (or entry) was skipped for it, and how many of its batch's
 * papers come before it: the writer says it after committing a transaction they complete,
 * wherever the batches it is handed end.
 */
export type LineWarning = [text: string, skipped: boolean, papersBefore: number];

/**
 * The papers of up to `batchSize` lines, ready for one transaction, with the warnings of the
 * lines read since the batch before, in line order (the caller reports them before writing).
 */
export interface LineBatch {
  papers: PreparedPaper[];
  warnings: LineWarning[];
  /** Bytes of the file read once these lines were (compressed bytes for gzip). */
  bytesRead: number;
  /**
   * Lines left for the writer to parse (`papers` is then empty, `warnings` come before
   * them): the parsing thread hands some over when the writer would otherwise wait.
   */
  unparsed?: UnparsedLines;
}

/** Whole lines, each ending in a newline, and the number of the line before them. */
export interface UnparsedLines {
  bytes: Uint8Array;
  lineNumber: number;
}

/** Unknown keys as counted (name → count, first line), to merge and hand between threads. */
export type KeyCounts = [string, { count: number; first: number }][];

/** The last batch, with the file's unknown keys: one warning per key, said after it. */
export interface LastBatch extends LineBatch {
  unknownFields: string[];
  unknownKeys: KeyCounts;
}

/** The warnings for a file's unknown keys, one per key in the order they first appeared. */
export function unknownKeyWarnings(counts: KeyCounts): string[] {
  const ordered = [...counts].sort((a, b) => a[1].first - b[1].first);
  return new UnknownFields(ordered).warnings('line', (key) => `key ${JSON.stringify(key)}`);
}

/**
 * Where a reader stopped, at a chunk's end, for another to go on from (the parsing thread
 * taking over from the main thread): the file offset of the first line not yet read whole
 * (decompressed bytes), the lines before it, the batch being filled and the keys counted.
 */
export interface ReaderState {
  offset: number;
  lineNumber: number;
  papers: PreparedPaper[];
  warnings: LineWarning[];
  unknownKeys: KeyCounts;
}

export interface JsonLinesOptions {
  /** Observation time of a line without a date of its own (the file's modification time). */
  fetchedAt: string;
  batchSize: number;
  /**
   * Papers per batch handed on, a part of `batchSize` that divides it (the parsing thread's
   * messages); `batchSize` when not given.
   */
  postEvery?: number;
  /** Tag every paper as a bundled demo paper. */
  sample?: boolean;
}
