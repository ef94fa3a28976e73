import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../src/core/errors.js';
import { ingestFile, LINE_CAP } from '../../src/core/ingest.js';
import { JsonLinesReader } from '../../src/core/json-lines-reader.js';
import { type HandOff, ParsingThread } from '../../src/core/json-lines-thread.js';
import type { PreparedPaper } from '../../src/core/store/prepared-paper.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { ingestHeard } from './ingest-heard.js';

// JSON Lines parsed on a worker thread (what `npm run ingest` does for large files) must
// give exactly what the single-thread path gives: the same papers, the same warnings in the
// same order (between the same batches when no lines are handed back to the writer), the
// same errors; and a failure never hangs or leaves a batch half-written.
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');

function corpusLine(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: `2501.${String(i).padStart(5, '0')}`,
    title: `Grasping with  tactile sensing, part ${i}`,
    authors: ['Ada Lovelace', 'José Núñez'],
    abstract: `We study grasp $\\infty$ number ${i} with\nline breaks.`,
    categories: ['cs.RO'],
    date: '2026-01-02',
    comment: i % 2 ? '8 pages' : null,
    ...extra,
  });
}

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Every line kind that warns or is skipped, among good corpus and snapshot lines. */
function mixedFile(): string {
  const snapshot = readFileSync('test/fixtures/arxiv-snapshot.jsonl', 'utf8').trimEnd();
  const lines: (string | Buffer)[] = [];
  for (let i = 0; i < 60; i++) {
    if (i === 7) lines.push('{"id": "2501.99999", "title": "Broken');
    else if (i === 13)
      lines.push(JSON.stringify({ id: 'not-an-id', title: 'No id', abstract: 'x' }));
    else if (i === 21) lines.push(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    else if (i === 30) lines.push(snapshot);
    else if (i === 41) lines.push(`{"id": "2501.77777", "title": "${'x'.repeat(LINE_CAP)}"}`);
    else if (i === 43) lines.push('{"id": "2501.88888", "title": "Broken after the long line');
    else if (i === 50) lines.push('');
    else lines.push(corpusLine(i, i % 9 === 0 ? { venue: 'CoRL' } : {}));
  }
  const parts = lines.flatMap((line) => [Buffer.from(line), Buffer.from('\n')]);
  // The last line is cut off mid-way (no newline after it).
  parts.push(Buffer.from(corpusLine(99).slice(0, 40)));
  return writeFile('mixed.jsonl', Buffer.concat(parts));
}

/** Warnings and committed batches as they were heard, in order, and what was stored. */
async function ingestLogged(
  file: string,
  handOverAfter: number | null,
  batchSize = 10,
  handOff: HandOff = 'never',
) {
  const { summary, heard, stored } = await ingestHeard(
    file,
    batchSize,
    handOverAfter === null ? null : { handOverAfter, handOff },
    {
      warning: (warning) => `warning ${warning}`,
      batch: (p) => `batch ${p.committed} ${p.bytesRead}/${p.totalBytes}`,
    },
    (store) => [...store.iteratePapers()].flat(),
  );
  return { summary, heard, papers: stored };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a failure');
  return error;
}

describe('JSON Lines on a worker thread', () => {
  // The thread takes over from the start, after the first or second 256 KB chunk (in the
  // middle of the 1 MB line, which it reads again from its start), or never (the file ends
  // before the main thread hands over).
  it.each([0, 1, 300_000, 2_000_000])(
    'gives the same papers, warnings, order and batches as one thread (hand-over after %i bytes)',
    async (handOverAfter) => {
      const file = mixedFile();
      const one = await ingestLogged(file, null);
      const two = await ingestLogged(file, handOverAfter);
      expect(two.summary).toEqual(one.summary);
      expect(two.heard).toEqual(one.heard);
      expect(two.papers).toEqual(one.papers);
      // The file has what the comparison is about: every kind of warning, several batches.
      expect(one.summary).toMatchObject({ added: 58, skipped: 8, warningCount: 10 });
      // Each batch's line warnings come before it; the unknown key is said once, at the end.
      expect(
        one.heard.map(
          (line) => /^(warning line \d+|batch \d+|warning key "venue")/.exec(line)?.[1],
        ),
      ).toEqual([
        'warning line 8',
        'batch 10',
        'warning line 14',
        'warning line 22',
        'batch 20',
        'batch 30',
        'warning line 34',
        'warning line 35',
        'warning line 36',
        'batch 40',
        'warning line 48',
        'warning line 50',
        'batch 50',
        'warning line 67',
        'batch 58',
        'warning key "venue"',
      ]);
    },
  );

  // The thread hands lines to the writer to parse (a quarter batch at a time) when the writer
  // waits, or, fixed for the test, every other stretch of a batch's length: the batches then
  // end elsewhere, but the papers, the warnings and their order, and the summary (unknown keys
  // counted on both threads) are the same.
  // (Batches of 40 hand over lines 41–60: the 1 MB line, the blank one, the cut-off last.)
  it.each([
    ['alternately', 0, 10],
    ['alternately', 300_000, 10],
    ['alternately', 0, 40],
    ['when-writer-waits', 0, 10],
    ['when-writer-waits', 1, 10],
  ] as const)(
    'lines handed back to the writer (%s, hand-over after %i bytes, batches of %i) give the same papers and warnings',
    async (handOff, handOverAfter, batchSize) => {
      const file = mixedFile();
      const one = await ingestLogged(file, null);
      const two = await ingestLogged(file, handOverAfter, batchSize, handOff);
      expect(two.summary).toEqual(one.summary);
      expect(two.papers).toEqual(one.papers);
      const warnings = (heard: string[]) => heard.filter((line) => line.startsWith('warning'));
      expect(warnings(two.heard)).toEqual(warnings(one.heard));
      // Papers parsed on either thread are written in transactions of a whole batch (the
      // last may be short): commits report 10, 20, 30… papers whoever parsed them.
      const committed = (heard: string[]) =>
        heard.filter((line) => line.startsWith('batch')).map((line) => Number(line.split(' ')[1]));
      const commits = committed(two.heard);
      for (let i = 1; i < commits.length - 1; i++)
        expect((commits[i] as number) - (commits[i - 1] as number)).toBeGreaterThanOrEqual(
          batchSize,
        );
    },
  );

  it('hands every other stretch of lines to the writer unparsed, in quarter batches', async () => {
    const file = writeFile(
      'handed.jsonl',
      `${Array.from({ length: 40 }, (_, i) => corpusLine(i)).join('\n')}\n`,
    );
    const fd = openSync(file, 'r');
    const job = { file, fd, gzip: false, fetchedAt: NOW.toISOString(), batchSize: 10 };
    const thread = new ParsingThread({ ...job, handOff: 'alternately' });
    try {
      await thread.whenReady();
      const sizes: number[] = [];
      const batches = thread.batches(fromStart(10));
      let next = await batches.next();
      for (; !next.done; next = await batches.next()) sizes.push(next.value.papers.length);
      sizes.push(next.value.papers.length);
      // Lines 1–10 by the thread (a fifth of a batch per message); from line 11 here, 3 lines
      // at a time (a piece once begun runs its 3 lines: 11–22); 23–30 by the thread; 31–40 here.
      expect(sizes.filter((n) => n > 0)).toEqual([
        2, 2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 1,
      ]);
    } finally {
      await thread.stop();
      closeSync(fd);
    }
  });

  it('reads a cut-off gzip download up to the cut, warnings in order', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => corpusLine(i)).join('\n');
    const whole = gzipSync(text);
    const file = writeFile('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.8)));
    const one = await ingestLogged(file, null, 100);
    const two = await ingestLogged(file, 0, 100);
    const handedOver = await ingestLogged(file, 1, 100);
    expect(handedOver.heard).toEqual(one.heard);
    expect(two.heard).toEqual(one.heard);
    const alternate = await ingestLogged(file, 0, 100, 'alternately');
    expect(alternate.summary).toEqual(one.summary);
    const warnings = (heard: string[]) => heard.filter((line) => line.startsWith('warning'));
    expect(warnings(alternate.heard)).toEqual(warnings(one.heard));
    expect(two.summary.warnings).toEqual([
      'the gzip data ends early (the download was cut off?): what came before was read',
      `line ${two.summary.added + 1}: skipped, the file ends in the middle of this line (cut off?); the ${two.summary.added} lines before it were read`,
    ]);
  });

  it('stops on damaged gzip data with the same coded error, keeping the committed batches', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => corpusLine(i)).join('\n');
    const whole = Buffer.from(gzipSync(text));
    whole.fill(0xff, Math.floor(whole.length * 0.5), Math.floor(whole.length * 0.5) + 64);
    const file = writeFile('bad.jsonl.gz', whole);
    const store = SqliteStore.open(':memory:');
    let committed = 0;
    const error = await rejection(
      ingestFile({
        store,
        file,
        now: () => NOW,
        batchSize: 100,
        parseInWorker: true,
        handOverAfter: 0,
        handOff: 'never',
        onBatch: (p) => (committed = p.committed),
      }),
    );
    expect(isPaperboyError(error) && error.code).toBe('FEED_MALFORMED');
    expect(error.message).toBe(
      `${file}: the gzip data is damaged (${error.message.split('damaged (')[1]}`,
    );
    expect(committed).toBeGreaterThan(0);
    expect(store.countPapers()).toBeGreaterThan(0);
    expect(store.countPapers()).toBeLessThanOrEqual(committed);
    store.close();
  });

  it('a write that fails stops the thread: the error is the store’s, earlier batches stay', async () => {
    const file = writeFile(
      'many.jsonl',
      `${Array.from({ length: 500 }, (_, i) => corpusLine(i)).join('\n')}\n`,
    );
    const sqlite = SqliteStore.open(':memory:');
    let writes = 0;
    // The real store, whose third write meets a closed database (a disk gone, say).
    const store = Object.assign(Object.create(sqlite) as SqliteStore, {
      upsertPrepared(papers: PreparedPaper[], now: Date) {
        if (++writes === 3) throw new Error('disk I/O error');
        return sqlite.upsertPrepared(papers, now);
      },
    });
    const error = await rejection(
      ingestFile({
        store,
        file,
        now: () => NOW,
        batchSize: 50,
        parseInWorker: true,
        handOverAfter: 0,
        handOff: 'never',
      }),
    );
    expect(error.message).toBe('disk I/O error');
    expect(sqlite.countPapers()).toBe(100);
    sqlite.close();
  });

  const fromStart = (batchSize: number) =>
    new JsonLinesReader({ fetchedAt: NOW.toISOString(), batchSize }).handOver();

  it('a file the thread cannot read is a clear error naming it', async () => {
    // Open, but not readable as a file: the thread reads what the caller opened.
    const folder = path.join(dir, 'folder.jsonl');
    mkdirSync(folder);
    const fd = openSync(folder, 'r');
    const job = { file: folder, fd, gzip: false, fetchedAt: NOW.toISOString(), batchSize: 10 };
    const thread = new ParsingThread(job);
    try {
      await thread.whenReady();
      const error = await rejection(thread.batches(fromStart(10)).next());
      expect(isPaperboyError(error) && error.code).toBe('INTERNAL');
      expect(error.message).toMatch(
        new RegExp(`^${folder}: the JSON Lines parsing thread failed \\(EISDIR: `),
      );
    } finally {
      await thread.stop();
      closeSync(fd);
    }
  });

  it('a writer that stops early ends the thread; the batches then end with an error', async () => {
    const file = writeFile(
      'early.jsonl',
      `${Array.from({ length: 300 }, (_, i) => corpusLine(i)).join('\n')}\n`,
    );
    const fd = openSync(file, 'r');
    const thread = new ParsingThread({
      file,
      fd,
      gzip: false,
      fetchedAt: NOW.toISOString(),
      batchSize: 10,
      handOff: 'never',
    });
    try {
      await thread.whenReady();
      const batches = thread.batches(fromStart(10));
      const first = await batches.next();
      // A fifth of a batch per message.
      expect(first.value?.papers).toHaveLength(2);
      await thread.stop();
      // At most the messages already posted (four batches' worth), then the stop is said,
      // counting every paper handed over (never a hang).
      let papers = 2;
      let error: Error | null = null;
      for (let taken = 0; taken < 4 * 5 + 1 && !error; taken++) {
        error = await batches.next().then(
          (next) => {
            papers += next.done ? 0 : next.value.papers.length;
            return null;
          },
          (e: Error) => e,
        );
      }
      expect(error?.message).toBe(
        `${file}: the JSON Lines parsing thread was stopped by the writer after ${papers} papers had been handed over; those reported committed are stored, nothing after them`,
      );
    } finally {
      await thread.stop();
      closeSync(fd);
    }
  });
});
