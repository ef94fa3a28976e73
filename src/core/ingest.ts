import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { isPaperboyError, PaperboyError } from './errors.js';
import { byteChunks, GZIP_CUT_OFF, isGzip } from './file-bytes.js';
import { type IngestSummary, IngestTally } from './ingest-tally.js';
import type { LineBatch } from './json-lines-batch.js';
import { jsonLinesBatches } from './json-lines-handover.js';
import { JsonLinesReader, LINE_CAP } from './json-lines-reader.js';
import type { HandOff } from './json-lines-thread.js';
import { describeHead, detectFormat, type FeedFormat } from './sources/detect-format.js';
import { parseArxivAtom } from './sources/parse-arxiv-atom.js';
import { parseArxivRss } from './sources/parse-arxiv-rss.js';
import { parseDailyPapersPage } from './sources/parse-daily-papers-page.js';
import { parseHfDailyPapers } from './sources/parse-hf-daily-papers.js';
import { isSkipWarning, type ParseResult } from './sources/parse-result.js';
import { decodeText, sniffEncoding, type TextEncodingChoice } from './sources/text-encoding.js';
import { ImportWrites } from './store/paper-table.js';
import { type PreparedPaper, preparePaper } from './store/prepared-paper.js';
import type { Store, UpsertSummary } from './store/store.js';

export type { IngestSummary } from './ingest-tally.js';
export { LINE_CAP } from './json-lines-reader.js';

export const DEFAULT_INGEST_BATCH = 2000;
/** Warnings kept word for word; the rest are only counted. */
const HEAD_BYTES = 8192;
const NEWLINE = 0x0a;
/**
 * JSON Lines files from this size on are parsed on a worker thread while batches are written:
 * starting the thread (and tsx in it) costs a few hundred milliseconds of one core, which only
 * a file of some thousands of lines pays back.
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

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
   * The synchronous (SQLite) store on purpose: bulk ingest writes large batches into the local
   * file in tight loops; the `npm run ingest` CLI is SQLite-only (a PostgreSQL deployment
   * fills its store through the bots' polling).
   */
  store: Store & {
    upsertPrepared(papers: PreparedPaper[], now: Date, own?: ImportWrites): UpsertSummary;
    bulkWrite<T>(work: () => Promise<T>): Promise<T>;
  };
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
   * `WORKER_MIN_BYTES` or more). Either way the same papers and warnings in the same order
   * (batches may end earlier on the thread: see `handOff`).
   */
  parseInWorker?: boolean;
  /**
   * With the worker thread: read here until this many bytes, then wait for the thread and
   * hand over (default: read here until the thread is ready, whenever that is). 0 makes the
   * thread read the whole file; tests fix the point to compare runs.
   */
  handOverAfter?: number;
  /**
   * With the worker thread: when it hands lines to the writer to parse (default: when the
   * writer waits). Batches then end where that happened; tests fix it to compare batches.
   */
  handOff?: HandOff;
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
      return parseArxivRss(text, { fetchedAt, fromFile: true });
    case 'arxiv-atom':
      return parseArxivAtom(text, { fetchedAt, fromFile: true });
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
  const { file } = options;
  // Told by name before it is opened: opening a FIFO would wait for a writer.
  if (!statSync(file).isFile())
    throw new PaperboyError('FEED_NOT_RECOGNISED', `${file} is not a file`);
  // Opened once: every reader, the parsing thread too, reads this open file, so a file
  // renamed over the path meanwhile is never read. Closed once all reading has ended.
  const fd = openSync(file, 'r');
  try {
    return await ingestOpenFile(options, fd);
  } finally {
    closeSync(fd);
  }
}

async function ingestOpenFile(options: IngestOptions, fd: number): Promise<IngestSummary> {
  const { store, file } = options;
  const stat = fstatSync(fd);
  const gzip = isGzip(fd);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_INGEST_BATCH);
  const progress: IngestProgress = { committed: 0, bytesRead: 0, totalBytes: stat.size };
  const tally = new IngestTally(options.onWarning);
  // What this import wrote: a paper listed twice in the file counts once.
  const own = new ImportWrites();
  const commit = (batch: PreparedPaper[]) => {
    if (batch.length === 0) return;
    tally.count(store.upsertPrepared(batch, options.now(), own));
    progress.committed += batch.length;
    options.onBatch?.({ ...progress });
  };

  // Said where the cut is: among the line warnings once JSON Lines are being read (a cut met
  // while the format is detected, in a small file read whole, waits for the lines before it).
  let cutMet = false;
  let cutOff = () => {
    cutMet = true;
  };
  const chunks = byteChunks(
    file,
    fd,
    gzip,
    (n) => {
      progress.bytesRead += n;
    },
    () => cutOff(),
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
    const jsonLines = { fetchedAt, batchSize, ...(options.sample ? { sample: true } : {}) };
    // The parsing thread posts parts of batches, and batches end early where lines go to the
    // writer unparsed: papers are gathered into transactions of a whole batch (each commit
    // rewrites the index pages it touched). Line warnings are said as they arose: after the
    // commit of the papers before them, before the commit of those after.
    const pending: PreparedPaper[] = [];
    const take = (batch: LineBatch) => {
      progress.bytesRead = batch.bytesRead;
      let taken = 0;
      const gather = (upTo: number) => {
        for (; taken < upTo; taken++) {
          pending.push(batch.papers[taken] as PreparedPaper);
          if (pending.length === batchSize) commit(pending.splice(0));
        }
      };
      for (const [warning, skipped, papersBefore] of batch.warnings) {
        gather(papersBefore);
        tally.warn(warning, skipped);
      }
      gather(batch.papers.length);
    };
    const reader = new JsonLinesReader(jsonLines);
    cutOff = () => reader.warn(GZIP_CUT_OFF, false);
    const batches = jsonLinesBatches({
      file,
      fd,
      gzip,
      options: jsonLines,
      head: headChunks,
      chunks,
      bytesRead: () => progress.bytesRead,
      reader,
      thread: options.parseInWorker ?? stat.size >= WORKER_MIN_BYTES,
      ...(options.handOverAfter === undefined ? {} : { handOverAfter: options.handOverAfter }),
      ...(options.handOff ? { handOff: options.handOff } : {}),
      cutOffBeforeEnd: () => cutMet,
    });
    const last = await store.bulkWrite(async () => {
      try {
        let next = await batches.next();
        for (; !next.done; next = await batches.next()) take(next.value);
        // The reading has ended (file closed, thread stopped) when the last batch comes.
        take(next.value);
        commit(pending.splice(0));
        return next.value;
      } finally {
        // A write that failed ends the reading too (and the parsing thread with it).
        await batches.return(undefined as never);
      }
    });
    for (const warning of last.unknownFields) tally.unknownField(warning);
  } else {
    const bodyChunks = [...headChunks];
    for await (const chunk of chunks) bodyChunks.push(chunk);
    if (cutMet) tally.warn(GZIP_CUT_OFF, false);
    const referenceDate = options.referenceDate ?? fetchedAt.slice(0, 10);
    let parsed: ParseResult;
    try {
      const text = decodeText(Buffer.concat(bodyChunks));
      parsed = parseWhole(format, text, fetchedAt, referenceDate);
    } catch (error) {
      throw named(file, error);
    }
    // Parsers also warn about ignored fields; only "skipped" entries count as skipped.
    for (const warning of parsed.warnings) tally.warn(warning, isSkipWarning(warning));
    for (const warning of parsed.unknownFields ?? []) tally.unknownField(warning);
    if (options.sample) for (const record of parsed.papers) record.sample = true;
    const papers = parsed.papers.map(preparePaper);
    for (let i = 0; i < papers.length; i += batchSize) commit(papers.slice(i, i + batchSize));
  }
  return { format, gzip, ...tally.counts };
}
