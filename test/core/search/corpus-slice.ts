import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { PaperRecord } from '../../../src/core/paper.js';
import { parseCorpusLine } from '../../../src/core/sources/parse-corpus-jsonl.js';

/** The shared corpus sits beside the repository (`../shared`), in CI as here. */
export const CORPUS = join(import.meta.dirname, '../../../../shared/corpus/arxiv-sample.jsonl.gz');
const SLICE_SIZE = 5000;
const SEED = 20251212;

/** Small deterministic PRNG (mulberry32): the same slice on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded 5,000-paper slice of the shared corpus, parsed with the corpus parser.
 * Cached as JSON in the temp dir: streaming the 27 MB gzip takes seconds.
 */
export async function corpusSlice(): Promise<PaperRecord[]> {
  const cache = join(tmpdir(), `paperboy-search-slice-${SEED}-${SLICE_SIZE}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as PaperRecord[];
  const random = seeded(SEED);
  const keep = SLICE_SIZE / 46_831;
  const out: PaperRecord[] = [];
  const lines = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()) });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (out.length >= SLICE_SIZE || random() > keep * 1.15) continue;
    const parsed = parseCorpusLine(line, n);
    if (!('warning' in parsed)) out.push(parsed);
  }
  const tmp = `${cache}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(out));
  renameSync(tmp, cache);
  return out;
}
