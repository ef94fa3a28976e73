import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { PaperRecord } from '../src/core/paper.js';
import { parseCorpusLine } from '../src/core/sources/parse-corpus-jsonl.js';

/** One line of the bulk import format (see ../shared/corpus/README.md). */
export interface CorpusEntry {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  categories: string[];
  date: string;
  comment: string | null;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_CACHE = path.join(HERE, '.cache');
/** The shared real corpus: 46,831 arXiv papers. */
export const REAL_CORPUS = path.resolve(HERE, '../../shared/corpus/arxiv-sample.jsonl.gz');
const SEED = 20_260_101;

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same corpus everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Every entry of the real corpus, in file order. */
export async function readRealCorpus(file = REAL_CORPUS): Promise<CorpusEntry[]> {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  const entries: CorpusEntry[] = [];
  for await (const line of lines) if (line.trim()) entries.push(JSON.parse(line) as CorpusEntry);
  return entries;
}

/**
 * Papers "in the image" of the real ones: words drawn with the real frequencies from real
 * titles and abstracts, real author names, category sets, dates and comments. Their ids
 * (`29MM.NNNNN`) cannot collide with real ones.
 */
export function generatePapers(
  real: readonly CorpusEntry[],
  count: number,
  seed = SEED,
): CorpusEntry[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const sample = real.slice(0, 5000);
  const titleWords = sample.flatMap((e) => e.title.split(' '));
  const abstractWords = sample.flatMap((e) => e.abstract.split(' '));
  const authors = sample.flatMap((e) => e.authors);
  const words = (source: readonly string[], n: number) =>
    Array.from({ length: n }, () => pick(source)).join(' ');

  return Array.from({ length: count }, (_, i) => {
    const model = pick(real);
    const title = words(titleWords, between(5, 14));
    return {
      id: `29${String((i % 12) + 1).padStart(2, '0')}.${String(i).padStart(5, '0')}`,
      title: title.charAt(0).toUpperCase() + title.slice(1),
      authors: Array.from({ length: between(1, 9) }, () => pick(authors)),
      abstract: `${words(abstractWords, between(90, 260))}.`,
      categories: model.categories,
      date: model.date,
      comment: model.comment,
    };
  });
}

/**
 * A JSON Lines file of `n` papers: the real corpus first, topped up with generated ones.
 * Built once and cached under bench/.cache/.
 */
export async function benchCorpusFile(n: number): Promise<string> {
  const file = path.join(BENCH_CACHE, `corpus-${n}.jsonl`);
  if (existsSync(file)) return file;
  const real = await readRealCorpus();
  const entries = real.slice(0, n);
  if (entries.length < n) entries.push(...generatePapers(real, n - entries.length));
  mkdirSync(BENCH_CACHE, { recursive: true });
  writeFileSync(`${file}.tmp`, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** `n` corpus entries (real first, then generated), from the cache. */
export async function loadBenchCorpus(n: number): Promise<CorpusEntry[]> {
  const text = readFileSync(await benchCorpusFile(n), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CorpusEntry);
}

/** The same `n` papers as PaperRecords, read by the product's own JSON Lines parser. */
export async function loadBenchRecords(n: number): Promise<PaperRecord[]> {
  const text = readFileSync(await benchCorpusFile(n), 'utf8');
  const records: PaperRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const parsed = parseCorpusLine(line, i + 1);
    if (!('warning' in parsed)) records.push(parsed);
  });
  return records;
}
