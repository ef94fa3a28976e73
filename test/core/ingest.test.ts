import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../src/core/errors.js';
import { type IngestProgress, ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2026-01-05T12:00:00.000Z');

function corpusLine(i: number): string {
  return JSON.stringify({
    id: `2501.${String(i).padStart(5, '0')}`,
    title: `Grasping with  tactile sensing, part ${i}`,
    authors: ['Ada Lovelace', 'José Núñez'],
    abstract: `We study grasp $\\infty$ number ${i} with\nline breaks.`,
    categories: ['cs.RO'],
    date: '2026-01-02',
    comment: i % 2 ? '8 pages' : null,
  });
}

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isPaperboyError(error)) {
      expect(error.code).toBe(code);
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${code}`);
}

describe('ingestFile', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(':memory:');
  });
  afterEach(() => store.close());
  const ingest = (file: string, extra: Partial<Parameters<typeof ingestFile>[0]> = {}) =>
    ingestFile({ store, file, now: () => NOW, ...extra });

  it('streams JSON Lines in batches and changes nothing the second time', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => corpusLine(i));
    const file = writeFile('corpus.jsonl', `${lines.join('\n')}\n`);
    const batches: IngestProgress[] = [];
    const first = await ingest(file, { batchSize: 100, onBatch: (p) => batches.push(p) });
    expect(first).toMatchObject({
      format: 'jsonl',
      gzip: false,
      added: 250,
      updated: 0,
      skipped: 0,
    });
    expect(batches.map((b) => b.committed)).toEqual([100, 200, 250]);
    expect(batches.at(-1)?.bytesRead).toBe(readFileSync(file).length);
    const paper = store.getPaper('2501.00007');
    expect(paper).toMatchObject({
      title: 'Grasping with tactile sensing, part 7',
      authors: ['Ada Lovelace', 'José Núñez'],
      sources: ['jsonl'],
      publishedAt: '2026-01-02',
      comment: '8 pages',
    });

    const stamp = store.papersStamp();
    const second = await ingest(file, { now: () => new Date('2026-02-01T00:00:00Z') });
    expect(second).toMatchObject({ added: 0, updated: 0, unchanged: 250, skipped: 0 });
    expect(store.papersStamp()).toEqual(stamp);
    expect(store.getPaper('2501.00007')?.updatedAt).toBe(NOW.toISOString());
  });

  it('reads gzip by its magic bytes, whatever the file is called', async () => {
    const text = `${[1, 2, 3].map(corpusLine).join('\n')}`;
    const file = writeFile('corpus.data', gzipSync(text));
    expect(await ingest(file)).toMatchObject({ format: 'jsonl', gzip: true, added: 3 });
    expect(store.countPapers()).toBe(3);
  });

  it('skips bad lines with a warning naming each, and keeps the rest', async () => {
    const file = writeFile(
      'mixed.jsonl',
      [
        corpusLine(1),
        '{"id": "2501.00002", "title": "Broken',
        '',
        JSON.stringify({ id: '2501.00003', title: '', abstract: 'x' }),
        JSON.stringify({ id: 'not-an-id', title: 'No id', abstract: 'x' }),
        corpusLine(6),
      ].join('\n'),
    );
    const summary = await ingest(file);
    expect(summary).toMatchObject({ added: 2, skipped: 3 });
    expect(summary.warnings).toEqual([
      expect.stringMatching(/^line 2: /),
      expect.stringMatching(/^line 4: .*no title/),
      expect.stringMatching(/^line 5 "No id": .*not an arXiv id/),
    ]);
  });

  it('reads the Daily Papers page against the reference date given', async () => {
    const summary = await ingest('samples/daily-papers-page.txt', { referenceDate: '2025-12-12' });
    expect(summary).toMatchObject({ format: 'hf-page', added: 48, skipped: 0 });
    const all = [...store.iteratePapers()].flat();
    expect(all.find((p) => p.title.includes('CycleQD'))?.authorCount).toBe(4);
  });

  it('reads HF JSON and arXiv RSS files into one row per paper', async () => {
    await ingest('test/fixtures/hf-daily-papers.json');
    await ingest('test/fixtures/arxiv-rss.xml');
    expect(store.getPaper('2410.14735')?.sources).toEqual(['huggingface', 'arxiv-rss']);
  });

  it('refuses a file in no known format, storing nothing', async () => {
    const file = writeFile('notes.txt', 'Just some notes about papers.\nNothing structured.\n');
    const message = await expectCode(ingest(file), 'FEED_NOT_RECOGNISED');
    expect(message).toContain(file);
    expect(store.countPapers()).toBe(0);
  });

  it('reads a cut-off gzip download up to the cut, saying so (review 12 F4)', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => corpusLine(i)).join('\n');
    const whole = gzipSync(text);
    const file = writeFile('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.8)));
    const summary = await ingest(file, { batchSize: 100 });
    // Every complete line decompressed before the cut is stored, none after it.
    expect(summary.added).toBeGreaterThan(2000);
    expect(summary.added).toBeLessThan(3000);
    expect(store.countPapers()).toBe(summary.added);
    expect(summary.warnings).toEqual([
      'the gzip data ends early (the download was cut off?): what came before was read',
      `line ${summary.added + 1}: skipped, the file ends in the middle of this line (cut off?); the ${summary.added} lines before it were read`,
    ]);
  });

  it('stops on damaged gzip data with a clear error, keeping the batches already committed', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => corpusLine(i)).join('\n');
    const whole = Buffer.from(gzipSync(text));
    // Bytes overwritten in the middle: the data is wrong, not merely short.
    whole.fill(0xff, Math.floor(whole.length * 0.5), Math.floor(whole.length * 0.5) + 64);
    const file = writeFile('bad.jsonl.gz', whole);
    let committed = 0;
    const message = await expectCode(
      ingest(file, { batchSize: 100, onBatch: (p) => (committed = p.committed) }),
      'FEED_MALFORMED',
    );
    expect(message).toContain('gzip data is damaged');
    // Batches before the damage stay stored (garbled lines in them may repeat an id).
    expect(committed).toBeGreaterThan(0);
    expect(store.countPapers()).toBeGreaterThan(0);
    expect(store.countPapers()).toBeLessThanOrEqual(committed);
  });

  it('names the file when a feed that looked right does not parse', async () => {
    const file = writeFile('broken.xml', '<rss><channel><item><title>Unclosed');
    const message = await expectCode(ingest(file), 'FEED_MALFORMED');
    expect(message.startsWith(`${file}: `)).toBe(true);
  });

  it('tags papers as demo papers when asked', async () => {
    const file = writeFile('one.jsonl', corpusLine(1));
    await ingest(file, { sample: true });
    expect(store.getPaper('2501.00001')?.sample).toBe(true);
  });
});
