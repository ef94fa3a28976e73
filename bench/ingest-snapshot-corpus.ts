import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { BENCH_CACHE, type CorpusEntry, loadBenchCorpus, REAL_CORPUS } from './corpus.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** `2025-03-18` → `Tue, 18 Mar 2025 17:02:11 GMT`, as the snapshot's `versions[].created`. */
function createdOf(day: string, i: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCSeconds((i * 7919) % 86_400);
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  const ss = String(date.getUTCSeconds()).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${hh}:${mm}:${ss} GMT`;
}

/** Hard line breaks every ~80 characters, as arXiv's metadata has them. */
function wrapped(text: string): string {
  return text.replace(/(.{70,80}?) /g, '$1\n');
}

/**
 * The entry's arXiv categories: the snapshot's `categories` holds only those (space separated);
 * the corpus also carries MSC/ACM classes such as `68T01 (Primary)`.
 */
export function arxivCategories(entry: CorpusEntry): string[] {
  return entry.categories.filter((c) => /^[a-z-]+(?:\.[A-Za-z-]+)?$/.test(c));
}

/** A corpus entry as one line of the Kaggle `arxiv-metadata-oai-snapshot.json`. */
export function snapshotLine(entry: CorpusEntry, i: number): string {
  const versions = [{ version: 'v1', created: createdOf(entry.date, i) }];
  if (i % 3 === 0) versions.push({ version: 'v2', created: createdOf(entry.date, i + 1) });
  return JSON.stringify({
    id: entry.id,
    submitter: entry.authors[0] ?? null,
    authors: entry.authors.join(', '),
    title: wrapped(entry.title),
    comments: entry.comment,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: arxivCategories(entry).join(' '),
    license: 'http://creativecommons.org/licenses/by/4.0/',
    abstract: `  ${wrapped(entry.abstract)}\n`,
    versions,
    update_date: entry.date,
    // [last, first, suffix]: the last word of a name is its family name.
    authors_parsed: entry.authors.map((name) => {
      const words = name.split(' ');
      return [words.at(-1) ?? name, words.slice(0, -1).join(' '), ''];
    }),
  });
}

/** The first `n` entries of the real corpus, read only as far as needed. */
export async function realCorpusHead(n: number): Promise<CorpusEntry[]> {
  const input = createReadStream(REAL_CORPUS).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  const entries: CorpusEntry[] = [];
  for await (const line of lines) {
    if (line.trim()) entries.push(JSON.parse(line) as CorpusEntry);
    if (entries.length >= n) break;
  }
  input.destroy();
  return entries;
}

/** Writes `entries` as a snapshot-format file. */
export function writeSnapshotFile(file: string, entries: CorpusEntry[]): void {
  writeFileSync(file, `${entries.map((e, i) => snapshotLine(e, i)).join('\n')}\n`);
}

/** The bench corpus's `n` papers (real first, then generated) as a snapshot, cached. */
export async function snapshotCorpusFile(n: number): Promise<string> {
  const file = path.join(BENCH_CACHE, `snapshot-${n}.jsonl`);
  if (existsSync(file)) return file;
  const entries = await loadBenchCorpus(n);
  mkdirSync(BENCH_CACHE, { recursive: true });
  writeSnapshotFile(`${file}.tmp`, entries);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Old-style archives for the copies: `math/9201000` cannot collide with a new-style id. */
const COPY_ARCHIVES = ['math', 'physics', 'astro-ph', 'cond-mat'];

/**
 * `copies` times the `n`-paper snapshot, each copy under ids of its own (old style, from
 * 1992 on: 180,000 per archive), cached: a larger file to show memory stays flat.
 */
export async function snapshotCopiesFile(n: number, copies: number): Promise<string> {
  const file = path.join(BENCH_CACHE, `snapshot-${n}x${copies}.jsonl`);
  if (existsSync(file)) return file;
  const source = await snapshotCorpusFile(n);
  const months: string[] = [];
  for (let year = 1992; year < 2007; year++) {
    for (let month = 1; month <= 12; month++) {
      months.push(`${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}`);
    }
  }
  const out = createWriteStream(`${file}.tmp`);
  for (let copy = 0; copy < copies; copy++) {
    const archive = COPY_ARCHIVES[copy - 1];
    let i = 0;
    for await (const line of createInterface({ input: createReadStream(source) })) {
      const id = `${archive}/${months[Math.floor(i / 1000)]}${String(i % 1000).padStart(3, '0')}`;
      const written = archive ? line.replace(/"id":"[^"]+"/, `"id":"${id}"`) : line;
      i++;
      if (!out.write(`${written}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
  return file;
}
