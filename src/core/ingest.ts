import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isPaperboyError, PaperboyError } from './errors.js';
import type { PaperRecord } from './paper.js';
import { describeHead, detectFormat, type FeedFormat } from './sources/detect-format.js';
import { parseArxivAtom } from './sources/parse-arxiv-atom.js';
import { parseArxivRss } from './sources/parse-arxiv-rss.js';
import { parseJsonLine } from './sources/parse-corpus-jsonl.js';
import { parseDailyPapersPage } from './sources/parse-daily-papers-page.js';
import { parseHfDailyPapers } from './sources/parse-hf-daily-papers.js';
import { type ParseResult, UnknownFields } from './sources/parse-result.js';
import {
  badBytesAt,
  decodeText,
  isValidUtf8,
  sniffEncoding,
  type TextEncodingChoice,
} from './sources/text-encoding.js';
import type { AsyncStore } from './store/async-store.js';
import type { Store } from './store/store.js';

/** Where ingest and the arXiv backfill write: either store. */
export type PaperWriter = Pick<Store, 'upsertPapers'> | Pick<AsyncStore, 'upsertPapers'>;

export const DEFAULT_INGEST_BATCH = 2000;
/** Warnings kept word for word; the rest are only counted. */
const WARNINGS_KEPT = 100;
const HEAD_BYTES = 8192;
const NEWLINE = 0x0a;
/** The longest JSON Lines line read (the real snapshot's longest is well under 100 KB). */
export const LINE_CAP = 1024 * 1024;

const overlongText = () =>
  `skipped, longer than the ${LINE_CAP / 1024 / 1024} MB line cap (not read into memory)`;

/** A parser's error with the file named: the parser only knows the text. */
function named(file: string, error: unknown): unknown {
  return isPaperboyError(error)
    ? new PaperboyError(error.code, `${file}: ${error.message}`, { cause: error })
    : error;
}

/**
 * The head as text for detection: whole lines only (up to the last newline, unless the file
 * ended or one line fills the cap), decoded in the file's encoding without cutting a character.
 */
function headText(bytes: Buffer, encoding: TextEncodingChoice, ended: boolean): string {
  let body = bytes.subarray(encoding.bomLength);
  const utf16 = encoding.encoding.startsWith('utf-16');
  if (!ended && !utf16) {
    const lastNewline = body.lastIndexOf(NEWLINE);
    if (lastNewline > 0) body = body.subarray(0, lastNewline + 1);
  }
  // Streaming decode holds back a character cut at the end instead of garbling it.
  return new TextDecoder(encoding.encoding).decode(body, { stream: !ended });
}

export interface IngestProgress {
  /** Records committed so far (every batch is one transaction). */
  committed: number;
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead: number;
  totalBytes: number;
}

export interface IngestOptions {
  /**
   * The synchronous SQLite store (bulk batches into the local file without a promise per
   * write) or the PostgreSQL one; the batches of a chunk are written before the next is read.
   */
  store: PaperWriter;
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
  /**
   * Elements or keys of items that no parser reads, one line per name for the whole file
   * (also counted in `warningCount`): always all of them, however many other warnings.
   */
  unknownFields: string[];
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Byte chunks of the file (gunzipped when it is gzip), counting raw bytes read. */
async function* byteChunks(
  file: string,
  gzip: boolean,
  onBytes: (n: number) => void,
  onCutOff: () => void,
): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  let stream: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('data', (chunk) => onBytes(chunk.length));
    raw.on('error', (error) => gunzip.destroy(error));
    stream = raw.pipe(gunzip);
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!gzip) onBytes(chunk.length);
      yield chunk;
    }
  } catch (error) {
    // A download that stopped half-way: what was decompressed is read, as for a cut-off
    // plain file (the caller warns about the last, partial line), and the cut is said.
    if ((error as { code?: string }).code === 'Z_BUF_ERROR') {
      onCutOff();
      return;
    }
    if ((error as { code?: string }).code?.startsWith('Z_')) {
      throw new PaperboyError(
        'FEED_MALFORMED',
        `${file}: the gzip data is damaged (${(error as Error).message})`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    raw.destroy();
  }
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
    unknownFields: [] as string[],
  };
  const unknownField = (warning: string) => {
    summary.unknownFields.push(warning);
    summary.warningCount++;
    options.onWarning?.(warning);
  };

  const warn = (warning: string, skipped: boolean) => {
    if (skipped) summary.skipped++;
    summary.warningCount++;
    if (summary.warnings.length < WARNINGS_KEPT) summary.warnings.push(warning);
    else summary.moreWarnings++;
    options.onWarning?.(warning);
  };
  // Parsing is synchronous (line by line within a chunk): full batches wait here and are
  // written, in order, before the next chunk is read.
  const full: PaperRecord[][] = [];
  const commit = (batch: PaperRecord[]) => {
    if (batch.length > 0) full.push(batch);
  };
  const flush = async () => {
    for (let batch = full.shift(); batch; batch = full.shift()) await write(batch);
  };
  const write = async (batch: PaperRecord[]) => {
    if (options.sample) for (const record of batch) record.sample = true;
    const result = await store.upsertPapers(batch, options.now());
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

  const chunks = byteChunks(
    file,
    gzip,
    (n) => {
      progress.bytesRead += n;
    },
    () =>
      warn(
        'the gzip data ends early (the download was cut off?): what came before was read',
        false,
      ),
  );
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  // Detection reads whole lines: at least HEAD_BYTES and the first line complete (a first
  // record with a 200 KB abstract still shows its keys), up to the line cap.
  // Pulled by hand: breaking out of a for-await would close the stream.
  while (
    headBytes < HEAD_BYTES ||
    (headBytes < LINE_CAP && !headChunks.some((chunk) => chunk.includes(NEWLINE)))
  ) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  const headBuffer = Buffer.concat(headChunks);
  let encoding: TextEncodingChoice;
  try {
    encoding = sniffEncoding(headBuffer);
  } catch (error) {
    await chunks.return(undefined);
    throw named(file, error);
  }
  const head = headText(headBuffer, encoding, ended);
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
    if (encoding.encoding !== 'utf-8') {
      await chunks.return(undefined);
      throw new PaperboyError(
        'FEED_MALFORMED',
        `${file}: JSON Lines must be UTF-8, but this file is ${encoding.encoding}; nothing was stored`,
      );
    }
    let batch: PaperRecord[] = [];
    let lineNumber = 0;
    const unknownKeys = new UnknownFields();
    // The bytes of a line still open at the end of a chunk; past LINE_CAP they are dropped
    // and the line is only counted (a line is never held in memory beyond the cap).
    let rest: Buffer[] = [];
    let restBytes = 0;
    let overlong = false;
    const keep = (piece: Buffer) => {
      if (overlong || piece.length === 0) return;
      if (restBytes + piece.length > LINE_CAP) {
        overlong = true;
        rest = [];
        restBytes = 0;
        return;
      }
      rest.push(Buffer.from(piece));
      restBytes += piece.length;
    };
    const finishRest = (last: boolean) => {
      if (overlong) {
        lineNumber++;
        warn(`line ${lineNumber}: ${overlongText()}`, true);
        overlong = false;
      } else if (rest.length > 0) {
        const bytes = rest.length === 1 ? (rest[0] as Buffer) : Buffer.concat(rest);
        readLine(bytes, 0, bytes.length, last);
      }
      rest = [];
      restBytes = 0;
    };
    // Lines are cut from the bytes and decoded one by one: an ASCII line stays a one-byte
    // string (JSON.parse reads those fastest) and no chunk-sized string is ever built.
    const readLines = (chunk: Buffer) => {
      let start = 0;
      let end = chunk.indexOf(NEWLINE);
      if (restBytes > 0 || overlong) {
        if (end === -1) {
          keep(chunk);
          return;
        }
        keep(chunk.subarray(0, end));
        finishRest(false);
        start = end + 1;
        end = chunk.indexOf(NEWLINE, start);
      }
      for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        if (end - start > LINE_CAP) {
          lineNumber++;
          warn(`line ${lineNumber}: ${overlongText()}`, true);
        } else readLine(chunk, start, end, false);
        start = end + 1;
      }
      if (start < chunk.length) keep(chunk.subarray(start));
    };
    const readLine = (bytes: Buffer, start: number, end: number, last: boolean) => {
      lineNumber++;
      const text = bytes.toString('utf8', start, end);
      const line = lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
      // U+FFFD is how bad bytes decode; only then is the line checked (a real U+FFFD is fine).
      if (line.includes('\uFFFD') && !isValidUtf8(bytes.subarray(start, end))) {
        const { detail } = badBytesAt(bytes.subarray(start, end));
        warn(`line ${lineNumber}: skipped, it is not valid UTF-8 (${detail})`, true);
        return;
      }
      const parsed = parseJsonLine(line, lineNumber, fetchedAt);
      if (last && parsed.kind === null) {
        // The last line, with no newline after it, that is not JSON: the file was cut off.
        warn(
          `line ${lineNumber}: skipped, the file ends in the middle of this line (cut off?); ` +
            `the ${lineNumber - 1} lines before it were read`,
          true,
        );
        return;
      }
      for (const warning of parsed.warnings) warn(warning, parsed.record === null);
      if (parsed.unknownKeys) unknownKeys.add(parsed.unknownKeys, lineNumber);
      if (!parsed.record) return;
      batch.push(parsed.record);
      if (batch.length >= batchSize) {
        commit(batch);
        batch = [];
      }
    };
    for (const chunk of headChunks) readLines(chunk);
    await flush();
    for await (const chunk of chunks) {
      readLines(chunk);
      await flush();
    }
    finishRest(true);
    commit(batch);
    await flush();
    for (const warning of unknownKeys.warnings('line', (key) => `key ${JSON.stringify(key)}`))
      unknownField(warning);
  } else {
    const bodyChunks = [...headChunks];
    for await (const chunk of chunks) bodyChunks.push(chunk);
    const referenceDate = options.referenceDate ?? fetchedAt.slice(0, 10);
    let parsed: ParseResult;
    try {
      const text = decodeText(Buffer.concat(bodyChunks));
      parsed = parseWhole(format, text, fetchedAt, referenceDate);
    } catch (error) {
      throw named(file, error);
    }
    // Parsers also warn about ignored fields; only "skipped" entries count as skipped.
    for (const warning of parsed.warnings) warn(warning, /\bskipped\b/.test(warning));
    for (const warning of parsed.unknownFields ?? []) unknownField(warning);
    for (let i = 0; i < parsed.papers.length; i += batchSize) {
      await write(parsed.papers.slice(i, i + batchSize));
    }
  }
  return { format, gzip, ...summary };
}
