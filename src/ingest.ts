import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { type Config, loadConfig } from './config.js';
import { systemClock } from './core/clock.js';
import { isPaperboyError, PaperboyError } from './core/errors.js';
import {
  DEFAULT_INGEST_BATCH,
  type IngestProgress,
  type IngestSummary,
  ingestFile,
} from './core/ingest.js';
import { backfillIntoStore } from './core/sources/fetch-arxiv-api.js';
import { paperboyUserAgent, RequestGate, realSleep } from './core/sources/http.js';
import { describeDatabase } from './core/store/postgres/failures.js';
import { PostgresStore } from './core/store/postgres/postgres-store.js';
import { SqliteStore, storeFile } from './core/store/sqlite-store.js';

/**
 * The store the bots read: PostgreSQL when PAPERBOY_DATABASE_URL is set (migrated first, as
 * a bot's start does), else the SQLite file under PAPERBOY_DATA_DIR.
 */
async function openIngestStore(config: Config): Promise<SqliteStore | PostgresStore> {
  if (config.databaseUrl) return PostgresStore.open(config.databaseUrl);
  return SqliteStore.open(storeFile(config.dataDir));
}

/**
 * File ingest writes prepared rows into SQLite only: with PAPERBOY_DATABASE_URL set the bots
 * read PostgreSQL and would never see them, so it refuses before writing anything.
 */
function sqliteOnly(config: Config): Config {
  if (config.databaseUrl)
    throw new PaperboyError(
      'CONFIG_INVALID',
      `PAPERBOY_DATABASE_URL is set: npm run ingest -- <file> writes only the SQLite store under PAPERBOY_DATA_DIR, which a bot on PostgreSQL (${describeDatabase(config.databaseUrl)}) never reads; nothing was stored. There the bots' polling (or npm run ingest -- --arxiv) fills the store; unset the variable to ingest a file into SQLite.`,
    );
  return config;
}

/** Warnings printed without --verbose. */
const WARNINGS_SHOWN = 5;

const USAGE = `Usage: npm run ingest -- <file> [--reference-date YYYY-MM-DD] [--batch-size N] [--verbose]

Reads a Daily Papers page (text), Hugging Face daily_papers JSON, arXiv RSS (2.0 or 1.0/RDF)
or Atom (query answers and listings), the arXiv metadata snapshot (Kaggle JSON Lines) or
Paperboy's JSON Lines (gzipped or not) into the SQLite store under PAPERBOY_DATA_DIR
(refused when PAPERBOY_DATABASE_URL is set: the bots read PostgreSQL then).
  --reference-date  capture day of a Daily Papers page (default: the file's modification day)
  --batch-size      papers per transaction (default ${DEFAULT_INGEST_BATCH})
  --verbose         print every warning (default: the first ${WARNINGS_SHOWN} and a count)

       npm run ingest -- --arxiv "cat:cs.RO" --since 2024-06-01 [--max N]

Backfills from the arXiv query API (sources.arxiv.apiBaseUrl), newest first, politely
(one request at a time, 3 s apart), until papers published before --since, into the store
the bots read: PostgreSQL when PAPERBOY_DATABASE_URL is set, else the SQLite file.`;

/** A progress bar only pays off on a terminal and for input that takes a while. */
const LARGE_INPUT_BYTES = 2 * 1024 * 1024;

interface FileInput {
  file: string;
  referenceDate?: string;
  batchSize: number;
  verbose: boolean;
}

class UsageError extends Error {}

// Ingest inputs are read here; other kinds of input (such as an arXiv query backfill)
// become further options of this parser and further branches in `main`.
function readArgs(argv: string[]): FileInput {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'reference-date': { type: 'string' },
      'batch-size': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError('Give exactly one file to ingest.');
  const referenceDate = values['reference-date'];
  if (referenceDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(referenceDate)) {
    throw new UsageError(`--reference-date must be a day YYYY-MM-DD, not "${referenceDate}".`);
  }
  const batchSize = Number(values['batch-size'] ?? DEFAULT_INGEST_BATCH);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new UsageError('--batch-size must be a whole number from 1 to 100000.');
  }
  return {
    file: positionals[0] as string,
    batchSize,
    verbose: values.verbose === true,
    ...(referenceDate ? { referenceDate } : {}),
  };
}

function progressReporter(file: string): {
  onBatch: (p: IngestProgress) => void;
  stop: () => void;
} {
  const size = statSync(file).size;
  if (!process.stdout.isTTY || size < LARGE_INPUT_BYTES) {
    return {
      // One plain line per committed batch; stdout to a pipe or file is written synchronously.
      onBatch: (p) => process.stdout.write(`committed ${p.committed}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'ingest [{bar}] {percentage}% | {committed} papers committed', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size, 0, { committed: 0 });
  return {
    onBatch: (p) => bar.update(p.bytesRead, { committed: p.committed }),
    stop: () => {
      bar.update(size);
      bar.stop();
    },
  };
}

/** `12 warnings (3 items skipped, 9 fields not understood); first 5 shown, --verbose for all`. */
function warningSummary(summary: IngestSummary, verbose: boolean): string {
  const fields = summary.warningCount - summary.skipped - (summary.cutOff ? 1 : 0);
  const parts = [
    summary.skipped > 0 ? `${summary.skipped} items skipped` : '',
    fields > 0 ? `${fields} fields not understood` : '',
    summary.cutOff ? 'the file cut off' : '',
  ].filter((part) => part);
  const shown =
    verbose || summary.warningCount <= WARNINGS_SHOWN
      ? ''
      : `; first ${WARNINGS_SHOWN} shown, --verbose for all`;
  return `${summary.warningCount} warnings (${parts.join(', ')})${shown}`;
}

function describeFailure(error: unknown, file: string | undefined): string {
  if (isPaperboyError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EACCES') return `${file}: permission denied`;
  if (code === 'EISDIR') return `${file} is a folder, not a file`;
  return `ingest failed: ${(error as Error).message}`;
}

async function main(argv: string[]): Promise<number> {
  let input: FileInput;
  try {
    input = readArgs(argv);
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(`${message ? `${message}\n\n` : ''}${USAGE}\n`);
    return error instanceof UsageError && !message ? 0 : 1;
  }
  let store: SqliteStore | undefined;
  try {
    statSync(input.file);
    store = SqliteStore.open(storeFile(sqliteOnly(loadConfig()).dataDir));
    const progress = progressReporter(input.file);
    const summary = await ingestFile({
      store,
      file: input.file,
      now: () => systemClock.now(),
      batchSize: input.batchSize,
      onBatch: progress.onBatch,
      // With --verbose every warning is printed as it happens; otherwise only at the end.
      ...(input.verbose
        ? { onWarning: (w: string) => process.stderr.write(`warning: ${w}\n`) }
        : {}),
      ...(input.referenceDate ? { referenceDate: input.referenceDate } : {}),
    }).finally(progress.stop);
    if (!input.verbose) {
      for (const warning of summary.warnings.slice(0, WARNINGS_SHOWN))
        process.stderr.write(`warning: ${warning}\n`);
      // One line per field name for the whole file: always every one of them.
      for (const warning of summary.unknownFields) process.stderr.write(`warning: ${warning}\n`);
    }
    if (summary.warningCount > 0)
      process.stderr.write(`${warningSummary(summary, input.verbose)}\n`);
    process.stdout.write(
      `${input.file} (${summary.format}${summary.gzip ? ', gzip' : ''}): ` +
        `new ${summary.added}, updated ${summary.updated}, unchanged ${summary.unchanged}, ` +
        `skipped ${summary.skipped}` +
        (summary.skippedReplacements > 0
          ? ` (${summary.skippedReplacements} replacements of papers not stored)`
          : '') +
        `, warnings ${summary.warningCount}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${describeFailure(error, input.file)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

/** `--arxiv <query> --since <day>`: the query API backfill. */
async function arxivMain(argv: string[]): Promise<number> {
  let query: string;
  let since: string;
  let maxPapers: number | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { arxiv: { type: 'string' }, since: { type: 'string' }, max: { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError('--arxiv takes no file.');
    query = (values.arxiv ?? '').trim();
    since = values.since ?? '';
    if (!query) throw new UsageError('--arxiv needs a query, e.g. "cat:cs.RO".');
    if (values.since === undefined)
      throw new UsageError(
        '--arxiv needs --since YYYY-MM-DD: the earliest publication day to backfill.',
      );
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since))
      throw new UsageError(`--since must be a day YYYY-MM-DD, not "${since}".`);
    if (values.max !== undefined) {
      maxPapers = Number(values.max);
      if (!Number.isInteger(maxPapers) || maxPapers < 1)
        throw new UsageError('--max must be a whole number ≥ 1.');
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  let store: SqliteStore | PostgresStore | undefined;
  try {
    const config = loadConfig();
    store = await openIngestStore(config);
    const version = (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    const http = {
      fetch: globalThis.fetch,
      clock: systemClock,
      sleep: realSleep,
      random: Math.random,
      timeoutSignal: (ms: number) => AbortSignal.timeout(ms),
      userAgent: paperboyUserAgent(version),
    };
    const summary = await backfillIntoStore(http, store, {
      apiBaseUrl: config.sources.arxiv.apiBaseUrl,
      query,
      since,
      gate: new RequestGate(3_000, systemClock, realSleep),
      ...(maxPapers ? { maxPapers } : {}),
      onPage: (s) =>
        process.stdout.write(`page ${s.pages}: ${s.fetched} papers so far (new ${s.added})\n`),
    });
    for (const warning of summary.warnings.slice(0, 20))
      process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(
      `arXiv "${query}" since ${since}: new ${summary.added}, updated ${summary.updated}, ` +
        `fetched ${summary.fetched} in ${summary.pages} pages\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${describeFailure(error, undefined)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

const args = process.argv.slice(2);
process.exitCode = await (args.some((a) => a === '--arxiv' || a.startsWith('--arxiv='))
  ? arxivMain(args)
  : main(args));
