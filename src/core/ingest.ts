import { statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { isPaperboyError, PaperboyError } from './errors.js';
import type { PaperRecord } from './paper.js';
import { describeHead, detectFormat, type FeedFormat } from './sources/detect-format.js';
import { byteChunks, isGzip } from './sources/file-bytes.js';
import { JsonLinesReader, type LineBatch } from './sources/json-lines.js';
import { readJsonLinesInWorker } from './sources/json-lines-thread.js';
import { parseArxivAtom } from './sources/parse-arxiv-atom.js';
import { parseArxivRss } from './sources/parse-arxiv-rss.js';
import { parseDailyPapersPage } from './sources/parse-daily-papers-page.js';
import { parseHfDailyPapers } from './sources/parse-hf-daily-papers.js';
import type { ParseResult } from './sources/parse-result.js';
import type { Store } from './store/store.js';

export const DEFAULT_INGEST_BATCH = 2000;
/** Warnings kept word for word; the rest are only counted. */
const WARNINGS_KEPT = 100;
const HEAD_BYTES = 8192;
/**
 * JSON Lines files from this size on are parsed on a worker thread while batches are written:
 * starting the thread costs a few hundred milliseconds, which only a large file pays back.
 */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

export interface IngestProgress {
  /** Records committed so far (every batch is one transaction). */
  committed: number;
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead: number;
  totalBytes: number;
}

export interface IngestOptions {
  store: Store;
  file: string;
  /** Time of the write (first seen / updated); passed in, never read. */
  now: () => Date;
  /** Capture day of a Daily Papers page (`YYYY-MM-DD`); default: the file's modification day. */
  referenceDate?: string;
  /** Records per transaction. */
  batchSize?: number;
  /** Tag every paper as a bundled demo paper. */
  sample?: boolean;
  /** Called after each batch commits. */
  onBatch?: (progress: IngestProgress) => void;
  /** Called with every warning as it happens (the summary keeps only the first ones). */
  onWarning?: (warning: string) => void;
  /**
   * Parse JSON Lines on a worker thread while writing (default: for files of
   * `WORKER_MIN_BYTES` or more). Either way the same records, warnings and batches.
   */
  parseInWorker?: boolean;
}

export interface IngestSummary {
  format: FeedFormat;
  gzip: boolean;
  added: number;
  updated: number;
  unchanged: number;
  /** Entries not stored: unreadable ones and replacements of papers not stored. */
  skipped: number;
  /** `replace` entries of papers not stored (a new version of an unknown paper is not new). */
  skippedReplacements: number;
  /** Every warning: skipped entries and fields not understood. */
  warningCount: number;
  /** The first warnings, naming the entry or line. */
  warnings: string[];
  /** Warnings beyond those kept in `warnings`. */
  moreWarnings: number;
}

function parseWhole(
  format: FeedFormat,
  text: string,
  fetchedAt: string,
  referenceDate: string,
): ParseResult {
  switch (format) {
    case 'hf-page':
      return parseDailyPapersPage(text, { referenceDate });
    case 'hf-json':
      return parseHfDailyPapers(text, { fetchedAt });
    case 'arxiv-rss':
      return parseArxivRss(text, { fetchedAt });
    case 'arxiv-atom':
      return parseArxivAtom(text, { fetchedAt });
    case 'jsonl':
    case 'arxiv-snapshot':
      throw new Error('JSON Lines are read line by line');
  }
}

/** The batches of JSON Lines read on this thread, the head chunks first. */
async function* readLinesHere(
  head: Buffer[],
  rest: AsyncIterable<Buffer>,
  reader: JsonLinesReader,
  bytesRead: () => number,
): AsyncGenerator<LineBatch> {
  for (const chunk of head) yield* reader.push(chunk, bytesRead());
  for await (const chunk of rest) yield* reader.push(chunk, bytesRead());
  yield reader.end(bytesRead());
}

/**
 * Reads a feed or corpus file (any format `detectFormat` names, gzipped or not) into the
 * store, a transaction per batch, so an interrupted ingest keeps every batch it reported.
 * JSON Lines stream line by line; the feed formats are small and parse whole.
 */
export async function ingestFile(options: IngestOptions): Promise<IngestSummary> {
  const { store, file } = options;
  const stat = statSync(file);
  if (!stat.isFile()) throw new PaperboyError('FEED_NOT_RECOGNISED', `${file} is not a file`);
  const gzip = isGzip(file);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_INGEST_BATCH);
  const progress: IngestProgress = { committed: 0, bytesRead: 0, totalBytes: stat.size };
  const summary = {
    added: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    skippedReplacements: 0,
    warningCount: 0,
    warnings: [] as string[],
    moreWarnings: 0,
  };

  const warn = (warning: string, skipped: boolean) => {
    if (skipped) summary.skipped++;
    summary.warningCount++;
    if (summary.warnings.length < WARNINGS_KEPT) summary.warnings.push(warning);
    else summary.moreWarnings++;
    options.onWarning?.(warning);
  };
  const commit = (batch: PaperRecord[]) => {
    if (batch.length === 0) return;
    if (options.sample) for (const record of batch) record.sample = true;
    const result = store.upsertPapers(batch, options.now());
    summary.added += result.added.length;
    summary.updated += result.updated.length;
    summary.unchanged += result.unchanged;
    for (const id of result.skippedReplacements) {
      summary.skippedReplacements++;
      warn(`${id}: skipped, a replacement (new version) of a paper not stored`, true);
    }
    progress.committed += batch.length;
    options.onBatch?.({ ...progress });
  };

  const chunks = byteChunks(file, gzip, (n) => {
    progress.bytesRead += n;
  });
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  // Pulled by hand: breaking out of a for-await would close the stream.
  while (headBytes < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  // Only for detection: a character cut at the end does not matter.
  const head = Buffer.concat(headChunks)
    .subarray(0, 64 * 1024)
    .toString('utf8');
  const format = detectFormat(head);
  if (!format) {
    await chunks.return(undefined);
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      `${file} is not in a format Paperboy reads: found ${describeHead(head)}` +
        `${gzip ? ' (after gunzip)' : ''}; expected a Daily Papers page (text), ` +
        'Hugging Face daily_papers JSON, arXiv RSS (2.0 or 1.0/RDF) or Atom, ' +
        "the arXiv metadata snapshot or Paperboy's JSON Lines",
    );
  }
  const fetchedAt = stat.mtime.toISOString();

  if (format === 'jsonl' || format === 'arxiv-snapshot') {
    const inWorker = options.parseInWorker ?? stat.size >= WORKER_MIN_BYTES;
    let batches: AsyncIterable<LineBatch>;
    if (inWorker) {
      // The worker reads the file from the start itself; the head was only for detection.
      await chunks.return(undefined);
      batches = readJsonLinesInWorker({ file, gzip, fetchedAt, batchSize });
    } else {
      batches = readLinesHere(
        headChunks,
        chunks,
        new JsonLinesReader(fetchedAt, batchSize),
        () => progress.bytesRead,
      );
    }
    for await (const batch of batches) {
      for (const warning of batch.warnings) warn(warning.text, warning.skipped);
      progress.bytesRead = batch.bytesRead;
      commit(batch.records);
    }
  } else {
    const decoder = new StringDecoder('utf8');
    let text = headChunks.map((chunk) => decoder.write(chunk)).join('');
    for await (const chunk of chunks) text += decoder.write(chunk);
    text += decoder.end();
    const referenceDate = options.referenceDate ?? fetchedAt.slice(0, 10);
    let parsed: ParseResult;
    try {
      parsed = parseWhole(format, text, fetchedAt, referenceDate);
    } catch (error) {
      // Name the file: the parser only knows the text.
      if (isPaperboyError(error)) {
        throw new PaperboyError(error.code, `${file}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    // Parsers also warn about ignored fields; only "skipped" entries count as skipped.
    for (const warning of parsed.warnings) warn(warning, /\bskipped\b/.test(warning));
    for (let i = 0; i < parsed.papers.length; i += batchSize) {
      commit(parsed.papers.slice(i, i + batchSize));
    }
  }
  return { format, gzip, ...summary };
}
